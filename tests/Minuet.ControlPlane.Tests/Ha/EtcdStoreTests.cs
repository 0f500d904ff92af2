using Minuet.ControlPlane.Coordination;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Scheduler.Storage;
using Minuet.ControlPlane.Storage;
using Minuet.TestSupport;
using static Minuet.ControlPlane.Tests.Ha.EtcdTestKit;
using SchedulerTask = Minuet.ControlPlane.Scheduler.Storage.StoredTask;

namespace Minuet.ControlPlane.Tests.Ha;

[Collection(EtcdClusterGroup.Name)]
public sealed class EtcdStoreTests
{
    private readonly EtcdCluster _cluster;

    public EtcdStoreTests(EtcdCluster cluster)
    {
        _cluster = cluster;
        _cluster.Clear();
    }

    [EtcdFact]
    public async Task MasterStore_EveryRecordKind_RoundTripsThroughANewConnection()
    {
        using var etcd = _cluster.Connect();
        await using var leader = await LeadAsync(etcd, LeaderElectionOptions.MasterKey);
        var store = new EtcdMasterStore(new EtcdKv(etcd, leader));
        var launch = new LaunchTaskRequest
        {
            TaskId = "t1",
            Name = "web",
            FrameworkId = "f1",
            AgentId = "a1",
            Command = new CommandInfo { Value = "sleep 1" },
            Resources = new ResourceSet { Cpus = 0.5, Mem = 64, Ports = [new PortRange(31000, 31001)] },
        };
        store.PutMeta("next_agent", "3");
        store.PutAgent(new StoredAgent { Id = "a1", Hostname = "h", Address = "10.0.0.11", Port = 5051, Resources = new ResourceSet { Cpus = 2 } });
        store.PutAgent(new StoredAgent { Id = "a2", Hostname = "h2", Address = "10.0.0.12", Resources = new ResourceSet() });
        store.RemoveAgent("a2");
        store.PutFramework(new StoredFramework { Id = "f1", Name = "marathon", Role = "web" });
        store.PutTask(new Minuet.ControlPlane.Storage.StoredTask { Launch = launch, State = "TASK_RUNNING" });
        store.PutReservation("a1", "team/web", new ResourceSet { Cpus = 1 });
        store.PutReservation("a1", "gone", new ResourceSet { Cpus = 1 });
        store.PutReservation("a1", "gone", null);

        using var other = _cluster.Connect();
        var snapshot = new EtcdMasterStore(new EtcdKv(other, leader)).Load();
        Assert.Equal("3", snapshot.Meta["next_agent"]);
        Assert.Equal("10.0.0.11", Assert.Single(snapshot.Agents).Address);
        Assert.Equal("web", Assert.Single(snapshot.Frameworks).Role);
        var task = Assert.Single(snapshot.Tasks);
        Assert.Equal("TASK_RUNNING", task.State);
        Assert.Equal([new PortRange(31000, 31001)], task.Launch.Resources.Ports);
        var reservation = Assert.Single(snapshot.Reservations);
        Assert.Equal(("a1", "team/web", 1.0), (reservation.AgentId, reservation.Role, reservation.Resources.Cpus));
    }

    [EtcdFact]
    public async Task MasterStore_LoadOfManyPages_ReadsOneConsistentCut()
    {
        using var etcd = _cluster.Connect(TimeSpan.FromSeconds(10));
        await using var leader = await LeadAsync(etcd, LeaderElectionOptions.MasterKey);
        var store = new EtcdMasterStore(new EtcdKv(etcd, leader));
        // 2,600 tasks (three pages of 1,000); every 26th is "flipped", so the flipped ones sit on every page.
        static string Id(int i) => $"p{i:D4}";
        var flipped = Enumerable.Range(0, 100).Select(i => Id(i * 26)).ToHashSet();
        for (int batch = 0; batch < 26; batch++)
        {
            store.PutTasks(Enumerable.Range(batch * 100, 100).Select(i => Task(Id(i), "TASK_STAGING")).ToList());
        }

        // A writer flips the 100 to RUNNING in one txn, again and again, while loads run: each load must see all of
        // them in one state, never a mix (a mix means the pages were read at different revisions).
        using var done = new CancellationTokenSource();
        var writer = System.Threading.Tasks.Task.Run(() =>
        {
            for (int round = 0; !done.IsCancellationRequested; round++)
            {
                store.PutTasks(flipped.Select(id => Task(id, round % 2 == 0 ? "TASK_RUNNING" : "TASK_STAGING")).ToList());
            }
        });
        for (int i = 0; i < 8; i++)
        {
            var loaded = store.Load();
            Assert.Equal(2600, loaded.Tasks.Count);
            Assert.Single(loaded.Tasks.Where(t => flipped.Contains(t.Launch.TaskId)).Select(t => t.State).Distinct());
        }

        await done.CancelAsync();
        await writer;
    }

    [EtcdFact]
    public Task ReadPrefix_OnAndAroundPageBoundaries_EveryKeyOnceInKeyOrder() => ReadPrefixRoundTripAsync(999, 1000, 2000, 2001);

    [EtcdFact]
    public Task ReadPrefix_MoreKeysThanOneKeyListing_EveryKeyOnceInKeyOrder() => ReadPrefixRoundTripAsync(23_001);

    private async Task ReadPrefixRoundTripAsync(params int[] counts)
    {
        using var etcd = _cluster.Connect(TimeSpan.FromSeconds(10));
        await using var leader = await LeadAsync(etcd, LeaderElectionOptions.MasterKey);
        var kv = new EtcdKv(etcd, leader);
        // Page boundaries (1,000 keys) and the key listing's own pages (20,000) fall on, just before and after a key.
        foreach (int count in counts)
        {
            var keys = Enumerable.Range(0, count).Select(i => $"/minuet/test/read{count}/{i:D6}").ToList();
            foreach (var chunk in keys.Chunk(kv.MaxTxnOps))
            {
                kv.Write(chunk.Select(k => EtcdKv.Put(k, "v" + k[^6..])).ToList());
            }

            var rows = kv.ReadPrefix($"/minuet/test/read{count}/");

            Assert.Equal(keys, rows.Select(r => r.Key));
            Assert.All(rows, r => Assert.Equal("v" + r.Key[^6..], r.Value.ToStringUtf8()));
        }
    }

    [EtcdFact]
    public async Task MasterStore_LoadOfManyTasks_DecodesThemInKeyOrderAndFailsWholeOnOneBadRecord()
    {
        using var etcd = _cluster.Connect(TimeSpan.FromSeconds(10));
        await using var leader = await LeadAsync(etcd, LeaderElectionOptions.MasterKey);
        var kv = new EtcdKv(etcd, leader);
        var store = new EtcdMasterStore(kv);
        // Written in a shuffled order across several decode chunks: the load lists them by key all the same.
        var ids = Enumerable.Range(0, 1500).Select(i => $"k{i:D4}").ToList();
        foreach (var batch in ids.OrderBy(id => id.GetHashCode(StringComparison.Ordinal)).Chunk(100))
        {
            store.PutTasks(batch.Select(id => Task(id, "TASK_RUNNING")).ToList());
        }

        var loaded = store.Load();
        Assert.Equal(ids, loaded.Tasks.Select(t => t.Launch.TaskId));

        kv.Write(EtcdKv.Put(EtcdMasterStore.Prefix + "tasks/k0777x", "{\"launch\":"));
        // Never a snapshot with the bad record left out: the load fails as a decode error (the take-over's give-back path).
        var e = Record.Exception(() => store.Load());
        Assert.True(e is System.Text.Json.JsonException or InvalidDataException, $"expected a decode error, got {e}");
    }

    [EtcdFact]
    public async Task MasterStore_WriteWithoutLeadership_FailsAsAStoreFault()
    {
        using var etcd = _cluster.Connect();
        await using var a = await LeadAsync(etcd, LeaderElectionOptions.MasterKey);
        await using var b = Candidate(etcd, LeaderElectionOptions.MasterKey, "b");
        b.Start();
        var standbyStore = new EtcdMasterStore(new EtcdKv(etcd, b));
        var e = Assert.Throws<EtcdStoreException>(() => standbyStore.PutMeta("next_agent", "9"));
        Assert.True(Minuet.ControlPlane.Master.Metrics.StoreHealth.IsStoreFault(e));
        Assert.True(GuardedSchedulerStore.IsWriteFailure(e));
        Assert.False(new EtcdMasterStore(new EtcdKv(etcd, a)).Load().Meta.ContainsKey("next_agent"));
    }

    [EtcdFact]
    public async Task SchedulerStore_BatchLargerThanMaxTxnOps_LandsInChunksAndRollbackWritesNothing()
    {
        using var etcd = _cluster.Connect(TimeSpan.FromSeconds(10));
        await using var leader = await LeadAsync(etcd, LeaderElectionOptions.SchedulerKey);
        var store = new EtcdSchedulerStore(new EtcdKv(etcd, leader));
        store.Begin();
        for (int i = 0; i < 300; i++)
        {
            store.PutTask(new SchedulerTask { Id = $"app.{i}", AppId = "/app", AgentId = "a1", Host = "h" });
        }

        store.PutApp(new StoredApp("/app", "{\"id\":\"/app\"}", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, false));
        store.PutAppVersion(new StoredAppVersion("/app", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, "{}"));
        store.PutAppVersion(new StoredAppVersion("/app/b", DateTimeOffset.UnixEpoch, DateTimeOffset.UnixEpoch, "{}"));
        Assert.Empty(store.Load().Tasks); // nothing lands before the commit
        store.Commit();

        store.Begin();
        store.RemoveApp("/app");
        store.Rollback();
        store.RemoveAppVersions("/app");

        var loaded = store.Load();
        Assert.Equal(300, loaded.Tasks.Count);
        Assert.Equal("/app", Assert.Single(loaded.Apps).Id);
        Assert.Equal("/app/b", Assert.Single(loaded.AppVersions).AppId);
    }

    private static async Task<LeaderElection> LeadAsync(EtcdConnection etcd, string key)
    {
        var election = Candidate(etcd, key, "test", TimeSpan.FromSeconds(5));
        election.Start();
        await WaitAsync(() => election.IsLeader, TimeSpan.FromSeconds(5), "the test candidate to lead");
        return election;
    }

    private static Minuet.ControlPlane.Storage.StoredTask Task(string id, string state) => new()
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
        State = state,
    };
}
