using System.Net;
using System.Net.Sockets;
using Minuet.ControlPlane.Coordination;
using Minuet.ControlPlane.Master.Ha;
using Minuet.TestSupport;
using static Minuet.ControlPlane.Tests.Ha.EtcdTestKit;

namespace Minuet.ControlPlane.Tests.Ha;

/// <summary>
/// A standby removes a dead leader's key when the leader's port refuses connections, long before the lease runs out.
/// The leases here are minutes long: only the takeover can explain a new leader within the waits.
/// </summary>
[Collection(EtcdClusterGroup.Name)]
public sealed class LeaderTakeoverTests
{
    private const string Key = LeaderElectionOptions.MasterKey;
    private static readonly TimeSpan LongTtl = TimeSpan.FromMinutes(3);
    private readonly EtcdCluster _cluster;

    public LeaderTakeoverTests(EtcdCluster cluster)
    {
        _cluster = cluster;
        _cluster.Clear();
    }

    /// <summary>A candidate whose value is its listener's <c>ip:port</c>, probed by the others.</summary>
    private static LeaderElection Probing(EtcdConnection etcd, string value) => new(etcd, new LeaderElectionOptions
    {
        Key = Key,
        Value = value,
        Ttl = LongTtl,
        ProbeTarget = v => IPEndPoint.TryParse(v, out var ip) ? ip : null,
        ProbeInterval = TimeSpan.FromMilliseconds(50),
        ProbeArm = TimeSpan.Zero,
    });

    [EtcdFact]
    public async Task Probe_LeaderProcessGoneAndPortRefused_StandbyRemovesItsKeyAndLeadsBeforeTheLease()
    {
        using var etcd = _cluster.Connect();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int accepted = 0;
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    using var client = await listener.AcceptTcpClientAsync();
                    Interlocked.Increment(ref accepted);
                }
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Stopped: the "process" is gone.
            }
        });
        string aAddress = ((IPEndPoint)listener.LocalEndpoint).ToString();
        var a = Probing(etcd, aAddress);
        await using var b = Probing(etcd, "127.0.0.1:1");
        a.Start();
        await WaitAsync(() => a.IsLeader, TimeSpan.FromSeconds(5), "a to lead");
        b.Start();
        await WaitAsync(() => b.LeaderValue == aAddress, TimeSpan.FromSeconds(3), "b to see a");
        int before = Volatile.Read(ref accepted);
        await WaitAsync(() => Volatile.Read(ref accepted) > before + 1, TimeSpan.FromSeconds(5), "b to reach a's address");

        // kill -9: no resign, the key stays with its 3-minute lease, and nothing listens on a's port any more.
        await a.AbandonAsync();
        listener.Stop();
        await accepting;

        await WaitAsync(() => b.IsLeader, TimeSpan.FromSeconds(60), "b to lead after a's port refused connections");
        Assert.Equal(1, b.Takeovers);
        Assert.Equal("127.0.0.1:1", b.LeaderValue);
        await a.DisposeAsync();
    }

    [EtcdFact]
    public async Task MasterKilled_LongLease_StandbyMasterTakesOverWithoutWaitingForTheLease()
    {
        var m1 = await HaMaster.StartAsync(_cluster, LongTtl);
        await WaitAsync(() => m1.IsLeader, TimeSpan.FromSeconds(10), "m1 to lead");
        await using var m2 = await HaMaster.StartAsync(_cluster, LongTtl);
        long term = m1.Leadership!.Election.Fence!.CreateRevision;
        await WaitAsync(() => m2.Leadership!.Election.ProbeArmedFor?.CreateRevision == term, TimeSpan.FromSeconds(30), "m2's probe to have reached m1 steadily");

        await m1.DisposeWithoutResignAsync(); // as kill -9: no resign, the port closes, the 3-minute lease stays

        await WaitAsync(() => m2.IsLeader, TimeSpan.FromSeconds(60), "m2 to lead after m1's port refused connections");
        Assert.Equal(1, m2.Leadership!.Election.Takeovers);
        using var etcd = _cluster.Connect();
        Assert.Equal(m2.Leadership.Self.Id, MasterLeaderInfo.TryParse((await etcd.Client.GetAsync(Key)).Kvs[0].Value.ToStringUtf8())!.Id);
    }

    [EtcdFact]
    public async Task Probe_PredecessorKeyNamesOwnAddress_RemovedWithoutProbing()
    {
        // up restarts a killed member where it was: the new process holds the dead leader's port, so that leader is gone.
        using var etcd = _cluster.Connect();
        int port = HaMaster.FreePort();
        static EndPoint? AddressOf(string v) => IPEndPoint.TryParse(v.Split('#')[0], out var ip) ? ip : null;
        LeaderElection Member(string value) => new(etcd, new LeaderElectionOptions { Key = Key, Value = value, Ttl = LongTtl, ProbeTarget = AddressOf });
        var dead = Member($"127.0.0.1:{port}#first");
        dead.Start();
        await WaitAsync(() => dead.IsLeader, TimeSpan.FromSeconds(5), "the first process to lead");
        await dead.AbandonAsync();

        await using var restarted = Member($"127.0.0.1:{port}#restarted");
        restarted.Start();
        await WaitAsync(() => restarted.IsLeader, TimeSpan.FromSeconds(60), "the restarted process to lead");
        Assert.Equal(1, restarted.Takeovers);
        await dead.DisposeAsync();
    }

    [EtcdFact]
    public async Task TakeoverRequest_RemovesOnlyTheExactTermObserved()
    {
        using var etcd = _cluster.Connect();
        string? deposedFor = null;

        // A lease that outlives the waits below, with keepalives (and the leader's look at its key) every 5 s: the
        // watch deposes at once, the keepalive's look is the fallback should a reconnecting watch miss the delete.
        var ttl = TimeSpan.FromSeconds(15);
        await using var a = new LeaderElection(etcd, new LeaderElectionOptions { Key = Key, Value = "a", Ttl = ttl }) { Deposed = r => deposedFor = r };
        await using var b = Candidate(etcd, Key, "b", ttl);
        a.Start();
        await WaitAsync(() => a.IsLeader, TimeSpan.FromSeconds(5), "a to lead");
        b.Start();
        await WaitAsync(() => b.ObservedTerm?.Value == "a", TimeSpan.FromSeconds(3), "b to observe a's term");
        var seen = b.ObservedTerm!;
        Assert.Equal(a.Fence!.CreateRevision, seen.CreateRevision);

        // An earlier term, or the same key on another lease, is not the leadership observed: nothing is removed.
        var older = await etcd.Client.TransactionAsync(LeaderTakeover.Request(Key, seen with { CreateRevision = seen.CreateRevision - 1 }));
        var otherLease = await etcd.Client.TransactionAsync(LeaderTakeover.Request(Key, seen with { Lease = seen.Lease + 1 }));
        Assert.False(older.Succeeded);
        Assert.False(otherLease.Succeeded);
        Assert.True(a.IsLeader);
        Assert.Single((await etcd.Client.GetAsync(Key)).Kvs);

        // The exact term: its key goes, and the leader, alive, stops acting (it learns from its watch or its next keepalive).
        var exact = await etcd.Client.TransactionAsync(LeaderTakeover.Request(Key, seen));
        Assert.True(exact.Succeeded);
        await WaitAsync(() => !a.IsLeader, TimeSpan.FromSeconds(30), "a to stop leading once its key was removed");
        Assert.Contains("deleted", deposedFor);
        await WaitAsync(() => a.IsLeader || b.IsLeader, TimeSpan.FromSeconds(30), "a new term");
    }
}
