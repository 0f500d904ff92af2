using Minuet.TestSupport;
using static Minuet.ControlPlane.Tests.Ha.EtcdTestKit;

namespace Minuet.ControlPlane.Tests.Ha;

/// <summary>Agents keep <c>/master/redirect?unless=leader</c> open on the leader, so its death reaches them at once.</summary>
[Collection(EtcdClusterGroup.Name)]
public sealed class LeaderHoldTests
{
    private readonly EtcdCluster _cluster;

    public LeaderHoldTests(EtcdCluster cluster)
    {
        _cluster = cluster;
        _cluster.Clear();
    }

    [EtcdFact]
    public async Task LeaderOtherThan_LeaderAskedAboutItself_HoldsUntilItStopsLeading()
    {
        var m1 = await HaMaster.StartAsync(_cluster);
        await WaitAsync(() => m1.IsLeader, TimeSpan.FromSeconds(10), "m1 to lead");
        await using var m2 = await HaMaster.StartAsync(_cluster);
        var self = m1.Leadership!.Self;

        var wait = m1.Leadership.LeaderOtherThanAsync(self.Authority, TimeSpan.FromSeconds(30), CancellationToken.None);
        Assert.False(wait.IsCompleted, "a leader asked about itself answered at once, naming itself");

        await m1.DisposeAsync(); // resign: the held answer ends with the term, not when its 30 s run out
        var named = await wait.WaitAsync(TimeSpan.FromSeconds(20));
        Assert.NotEqual(self.Id, named?.Id);
        await WaitAsync(() => m2.IsLeader, TimeSpan.FromSeconds(30), "m2 to lead");
    }
}
