using Minuet.ControlPlane.Coordination;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Scheduler.Storage;
using Minuet.ControlPlane.Storage;
using Minuet.ControlPlane.Tests.Ha;
using Minuet.TestSupport;
using static Minuet.ControlPlane.Tests.Ha.EtcdTestKit;
using SchedulerTask = Minuet.ControlPlane.Scheduler.Storage.StoredTask;

namespace Minuet.ControlPlane.Tests.Coordination;

/// <summary>
/// Batches past etcd's 128 operations per txn land whole or not at all: the leader is cut off (its fence gone) at
/// each point of a staged write, and a new store on the same term loads all of the batch or none of it.
/// </summary>
[Collection(EtcdClusterGroup.Name)]
public sealed class EtcdStagedBatchTests
{
    private const int Many = 300;
    private readonly EtcdCluster _cluster;

    public EtcdStagedBatchTests(EtcdCluster cluster)
    {
        _cluster = cluster;
        _cluster.Clear();
    }

    [EtcdFact]
    public async Task SchedulerCommit_CutOffAfterTheCommitMarkerAndOneChunk_NextLoadHasTheWholeBatchAndNoStagedKeys()
    {
        using var etcd = _cluster.Connect(TimeSpan.FromSeconds(10));
        await using var leader = await LeadAsync(etcd);
        var cut = new CutFence(leader) { Budget = 3 }; // the part, the commit marker, the first 128 ops
        var store = new EtcdSchedulerStore(new EtcdKv(etcd, cut));

        store.Begin();
        PutTasks(store);
        Assert.Throws<EtcdStoreException>(store.Commit);
        Assert.Equal(EtcdKv.DefaultMaxTxnOps, new EtcdKv(etcd, leader).ReadPrefix(EtcdSchedulerStore.Prefix + "tasks/").Count);

        var loaded = new EtcdSchedulerStore(new EtcdKv(etcd, leader)).Load();
        Assert.Equal(Many, loaded.Tasks.Count);
        Assert.Equal("/app", Assert.Single(loaded.Apps).Id);
        Assert.Empty(new EtcdKv(etcd, leader).ReadPrefix(EtcdSchedulerStore.Staging));
    }

    [EtcdFact]
    public async Task SchedulerCommit_CutOffBeforeTheCommitMarker_NoneOfTheBatchLandsAndItsStagedPartsAreDeleted()
    {
        using var etcd = _cluster.Connect(TimeSpan.FromSeconds(10));
        await using var leader = await LeadAsync(etcd);
        var cut = new CutFence(leader) { Budget = 1 }; // the part only
        var store = new EtcdSchedulerStore(new EtcdKv(etcd, cut));

        store.Begin();
        PutTasks(store);
        Assert.Throws<EtcdStoreException>(store.Commit);
        Assert.NotEmpty(new EtcdKv(etcd, leader).ReadPrefix(EtcdSchedulerStore.Staging));

        var loaded = new EtcdSchedulerStore(new EtcdKv(etcd, leader)).Load();
        Assert.Empty(loaded.Tasks);
        Assert.Empty(loaded.Apps);
        Assert.Empty(new EtcdKv(etcd, leader).ReadPrefix(EtcdSchedulerStore.Staging));
    }

    [EtcdFact]
    public async Task SchedulerWrite_AfterACommittedBatchFailedToApply_LandsAfterTheBatchNotUnderIt()
    {
        using var etcd = _cluster.Connect(TimeSpan.FromSeconds(10));
        await using var leader = await LeadAsync(etcd);
        var cut = new CutFence(leader) { Budget = 2 }; // the part and the commit marker; no chunk applies
        var store = new EtcdSchedulerStore(new EtcdKv(etcd, cut));
        store.Begin();
        PutTasks(store);
        Assert.Throws<EtcdStoreException>(store.Commit);

        // Back in touch: the next write finishes the batch first, so its delete is not undone by a later replay.
        cut.Budget = -1;
        store.RemoveTask("app.5");

        var loaded = new EtcdSchedulerStore(new EtcdKv(etcd, leader)).Load();
        Assert.Equal(Many - 1, loaded.Tasks.Count);
        Assert.DoesNotContain(loaded.Tasks, t => t.Id == "app.5");
    }

    [EtcdFact]
    public async Task MasterPutTasks_MoreThanOneTxnTakes_LandsWhole()
    {
        using var etcd = _cluster.Connect(TimeSpan.FromSeconds(10));
        await using var leader = await LeadAsync(etcd, LeaderElectionOptions.MasterKey);
        var store = new EtcdMasterStore(new EtcdKv(etcd, leader));

        store.PutTasks([.. Enumerable.Range(0, Many).Select(i => MasterTask($"t{i}"))]);

        var loaded = new EtcdMasterStore(new EtcdKv(etcd, leader)).Load();
        Assert.Equal(Many, loaded.Tasks.Count);
        Assert.Empty(new EtcdKv(etcd, leader).ReadPrefix(EtcdMasterStore.Staging));
    }

    private static void PutTasks(EtcdSchedulerStore store)
    {
        for (int i = 0; i < Many; i++)
        {
            store.PutTask(new SchedulerTask { Id = $"app.{i}", AppId = "/app", AgentId = "a1", Host = "h" });
        }

        store.PutApp(new StoredApp("/app", "{\"id\":\"/app\"}", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, false));
    }

    private static Minuet.ControlPlane.Storage.StoredTask MasterTask(string id) => new()
    {
        Launch = new LaunchTaskRequest
        {
            TaskId = id,
            Name = "n",
            FrameworkId = "f1",
            AgentId = "a1",
            Command = new CommandInfo { Value = "sleep 1" },
            Resources = new ResourceSet { Cpus = 0.1, Mem = 32 },
        },
        State = "TASK_STAGING",
    };

    private static async Task<LeaderElection> LeadAsync(EtcdConnection etcd, string key = LeaderElectionOptions.SchedulerKey)
    {
        var election = Candidate(etcd, key, "test", TimeSpan.FromSeconds(5));
        election.Start();
        await WaitAsync(() => election.IsLeader, TimeSpan.FromSeconds(10), "the test candidate to lead");
        return election;
    }

    /// <summary>The real term's fence for <see cref="Budget"/> more writes (-1: no limit), then none: the process is cut off.</summary>
    private sealed class CutFence(ILeaderFenceSource real) : ILeaderFenceSource
    {
        public int Budget { get; set; } = -1;

        public LeaderFence? Fence
        {
            get
            {
                if (Budget == 0)
                {
                    return null;
                }

                if (Budget > 0)
                {
                    Budget--;
                }

                return real.Fence;
            }
        }

        public void FenceRejected(LeaderFence fence) => real.FenceRejected(fence);
    }
}
