using Minuet.ControlPlane.Coordination;
using Minuet.TestSupport;
using static Minuet.ControlPlane.Tests.Ha.EtcdTestKit;

namespace Minuet.ControlPlane.Tests.Ha;

[Collection(EtcdClusterGroup.Name)]
public sealed class LeaderElectionTests
{
    private const string Key = LeaderElectionOptions.MasterKey;
    private readonly EtcdCluster _cluster;

    public LeaderElectionTests(EtcdCluster cluster)
    {
        _cluster = cluster;
        _cluster.Clear();
    }

    [EtcdFact]
    public async Task Campaign_TwoCandidates_ExactlyOneLeadsAndBothSeeItsValue()
    {
        using var etcd = _cluster.Connect();
        await using var a = Candidate(etcd, Key, "a");
        await using var b = Candidate(etcd, Key, "b");
        a.Start();
        b.Start();
        await WaitAsync(() => a.IsLeader || b.IsLeader, TimeSpan.FromSeconds(5), "a leader");
        var (leader, standby) = a.IsLeader ? (a, b) : (b, a);
        await WaitAsync(() => standby.LeaderValue == leader.Options.Value, TimeSpan.FromSeconds(3), "the standby to see the leader");
        Assert.False(standby.IsLeader);
        Assert.Null(standby.Fence);
        Assert.Equal(leader.Options.Value, leader.LeaderValue);
    }

    [EtcdFact]
    public async Task Resign_StandbyLeadsWithoutWaitingForTheLease()
    {
        using var etcd = _cluster.Connect();
        var ttl = TimeSpan.FromMinutes(2); // far longer than the wait below: only the revoke can hand over in time
        var a = Candidate(etcd, Key, "a", ttl);
        await using var b = Candidate(etcd, Key, "b", ttl);
        a.Start();
        await WaitAsync(() => a.IsLeader, TimeSpan.FromSeconds(5), "a to lead");
        b.Start();
        await WaitAsync(() => b.LeaderValue == "a", TimeSpan.FromSeconds(3), "b to see a");

        await a.ResignAsync();
        await WaitAsync(() => b.IsLeader, TimeSpan.FromSeconds(30), "b to lead after a resigned");
        Assert.False(a.IsLeader);
        await a.DisposeAsync();
    }

    [EtcdFact]
    public async Task Crash_LeaseExpires_StandbyLeads()
    {
        using var etcd = _cluster.Connect();
        var a = Candidate(etcd, Key, "a");
        await using var b = Candidate(etcd, Key, "b");
        a.Start();
        await WaitAsync(() => a.IsLeader, TimeSpan.FromSeconds(5), "a to lead");
        b.Start();
        await WaitAsync(() => b.LeaderValue == "a", TimeSpan.FromSeconds(3), "b to see a");

        await a.AbandonAsync(); // no revoke: the key lives until the lease runs out
        await WaitAsync(() => b.IsLeader, 2 * Ttl, "b to lead after a's lease expired");
        await a.DisposeAsync();
    }

    [EtcdFact]
    public async Task PausedLeader_PastItsLease_IsDeposedAndItsFencedWritesFail()
    {
        using var etcd = _cluster.Connect();
        await using var a = Candidate(etcd, Key, "a");
        await using var b = Candidate(etcd, Key, "b");
        var deposed = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        a.Deposed = reason => deposed.TrySetResult(reason);
        a.Start();
        await WaitAsync(() => a.IsLeader, TimeSpan.FromSeconds(5), "a to lead");
        var oldFence = a.Fence!;
        b.Start();

        a.PauseKeepalives(true);
        await WaitAsync(() => b.IsLeader, TimeSpan.FromSeconds(8), "b to lead while a is paused"); // TTL, or more right after an etcd leader change (it extends leases)
        Assert.False(a.IsLeader); // judged locally: a's lease is past its last keepalive + TTL
        await deposed.Task.WaitAsync(TimeSpan.FromSeconds(3));
        a.PauseKeepalives(false);

        // Even a write that still carries a's old fence cannot land.
        var stale = new EtcdKv(etcd, new FixedFence(oldFence));
        Assert.Throws<EtcdStoreException>(() => stale.Write(EtcdKv.Put("/minuet/master/state/meta/x", "from-a")));
        Assert.DoesNotContain(new EtcdKv(etcd, b).ReadPrefix("/minuet/master/state/"), kv => kv.Key.EndsWith("/x", StringComparison.Ordinal));
    }

    [EtcdFact]
    public async Task Abdicate_LeaderStepsDownAndAStandbyTakesOver()
    {
        using var etcd = _cluster.Connect();
        await using var a = Candidate(etcd, Key, "a");
        await using var b = Candidate(etcd, Key, "b");
        a.Start();
        await WaitAsync(() => a.IsLeader, TimeSpan.FromSeconds(5), "a to lead");
        b.Start();
        await WaitAsync(() => b.LeaderValue == "a", TimeSpan.FromSeconds(3), "b to see a");
        a.Abdicate();
        await WaitAsync(() => b.IsLeader || a.IsLeader, TimeSpan.FromSeconds(3), "a new term");
        Assert.False(a.IsLeader && b.IsLeader);
    }

    /// <summary>A fence frozen at one term, standing for a deposed leader's in-flight write.</summary>
    private sealed class FixedFence(LeaderFence fence) : ILeaderFenceSource
    {
        public LeaderFence? Fence => fence;

        public void FenceRejected(LeaderFence rejected)
        {
        }
    }
}
