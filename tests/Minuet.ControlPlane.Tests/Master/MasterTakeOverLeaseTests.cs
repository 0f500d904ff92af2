using Minuet.ControlPlane.Coordination;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Master.Ha;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Storage;
using Minuet.ControlPlane.Tests.Ha;
using Minuet.TestSupport;
using static Minuet.ControlPlane.Tests.Ha.EtcdTestKit;

namespace Minuet.ControlPlane.Tests.Master;

/// <summary>
/// A new leading master reads the whole store before it acts; that read can take longer than the lease TTL (100,000
/// tasks on a busy machine). The lease must be renewed meanwhile, or the read costs the term it was made for.
/// </summary>
[Collection(EtcdClusterGroup.Name)]
public sealed class MasterTakeOverLeaseTests
{
    private readonly EtcdCluster _cluster;

    public MasterTakeOverLeaseTests(EtcdCluster cluster)
    {
        _cluster = cluster;
        _cluster.Clear();
    }

    [EtcdFact]
    public async Task TakeOver_StoreLoadSlowerThanTheLeaseTtl_KeepsTheTermItWasElectedFor()
    {
        using var etcd = _cluster.Connect(TimeSpan.FromSeconds(10));
        using var store = new SlowLoadStore();
        store.Inner.PutAgent(new StoredAgent { Id = "a1", Hostname = "h", Address = "127.0.0.1", Port = 5051, Resources = new ResourceSet { Cpus = 1 } });
        store.Inner.PutTask(new StoredTask
        {
            Launch = new LaunchTaskRequest { TaskId = "t1", Name = "n", FrameworkId = "f1", AgentId = "a1", Command = new CommandInfo { Value = "sleep 1" }, Resources = new ResourceSet { Cpus = 0.1 } },
            State = "TASK_RUNNING",
        });
        var core = new MasterCore(new MasterOptions { AdvertiseIp = "127.0.0.1", Port = 5050, StartStandby = true }, store, new RecordingDispatcher());
        await using var election = Candidate(etcd, LeaderElectionOptions.MasterKey, "{\"id\":\"slow\"}", Ttl);
        await using var leadership = new MasterLeadership(election, core);

        leadership.Start();
        await store.LoadStarted.Task.WaitAsync(TimeSpan.FromSeconds(30));
        var elected = election.Fence;
        Assert.NotNull(elected);

        // The read itself is the slow part of this scenario: it lasts three lease TTLs, during which only keepalives
        // sent while it runs can keep the term.
        await Task.Delay(3 * Ttl);
        store.Release.SetResult();

        await WaitAsync(() => leadership.IsLeader, TimeSpan.FromSeconds(30), "the master to lead with the state it read");
        Assert.Equal(elected, election.Fence);
        Assert.Equal(["t1"], core.Read(c => c.Tasks.Keys.ToList()));
    }

    /// <summary>An in-memory store whose first load blocks until <see cref="Release"/> completes.</summary>
    private sealed class SlowLoadStore : IMasterStore
    {
        private int _loads;

        public InMemoryMasterStore Inner { get; } = new();

        public TaskCompletionSource LoadStarted { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Release { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public MasterStoreSnapshot Load()
        {
            if (Interlocked.Increment(ref _loads) == 1)
            {
                LoadStarted.TrySetResult();
                Release.Task.Wait(TimeSpan.FromSeconds(60));
            }

            return Inner.Load();
        }

        public void PutMeta(string key, string value) => Inner.PutMeta(key, value);

        public void PutAgent(StoredAgent agent) => Inner.PutAgent(agent);

        public void RemoveAgent(string agentId) => Inner.RemoveAgent(agentId);

        public void PutFramework(StoredFramework framework) => Inner.PutFramework(framework);

        public void RemoveFramework(string frameworkId) => Inner.RemoveFramework(frameworkId);

        public void PutTask(StoredTask task) => Inner.PutTask(task);

        public void PutTasks(IReadOnlyList<StoredTask> tasks) => Inner.PutTasks(tasks);

        public void RemoveTask(string taskId) => Inner.RemoveTask(taskId);

        public void PutReservation(string agentId, string role, ResourceSet? resources) => Inner.PutReservation(agentId, role, resources);

        public void Dispose() => Inner.Dispose();
    }
}
