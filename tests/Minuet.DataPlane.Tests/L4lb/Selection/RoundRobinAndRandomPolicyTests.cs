using Minuet.DataPlane.L4lb.Selection;
using static Minuet.DataPlane.Tests.L4lb.Selection.PolicyTestSupport;

namespace Minuet.DataPlane.Tests.L4lb.Selection;

public class RoundRobinAndRandomPolicyTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void RoundRobinChoose_ThreeBackends_EachGetsExactlyAThird()
    {
        var policy = new RoundRobinPolicy(_time);
        var backends = Backends(3);
        var route = Route(policy, backends);

        var counts = Enumerable.Range(0, 300).Select(i => policy.Choose(route, Flow(i))!).GroupBy(b => b).ToDictionary(g => g.Key, g => g.Count());

        Assert.All(backends, b => Assert.Equal(100, counts[b]));
    }

    [Fact]
    public void RoundRobinChoose_BenchedBackend_Skipped()
    {
        var policy = new RoundRobinPolicy(_time);
        var backends = Backends(3);
        Bench(backends[2], _time);
        var route = Route(policy, backends);

        var chosen = Enumerable.Range(0, 100).Select(i => policy.Choose(route, Flow(i))).ToList();

        Assert.DoesNotContain(backends[2], chosen);
        Assert.InRange(chosen.Count(b => b == backends[0]), 45, 55);
    }

    [Fact]
    public void RandomChoose_ManyDraws_RoughlyUniformAndSkipsBenched()
    {
        var policy = new RandomPolicy(new Random(11), _time);
        var backends = Backends(4);
        Bench(backends[3], _time);
        var route = Route(policy, backends);

        var counts = Enumerable.Range(0, 9000).Select(i => policy.Choose(route, Flow(i))!).GroupBy(b => b).ToDictionary(g => g.Key, g => g.Count());

        Assert.False(counts.ContainsKey(backends[3]));
        Assert.All(backends.Take(3), b => Assert.InRange(counts[b], 2500, 3500));
    }

    [Fact]
    public void Create_UnknownName_RejectedListingKnownOnes()
    {
        Assert.Null(BackendPolicies.Create("least-conn", new Random(), _time, out var reason));
        Assert.Contains("p2c", reason, StringComparison.Ordinal);
        Assert.Contains("maglev", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Create_EveryKnownName_GivesPolicyWithThatName()
    {
        foreach (var name in BackendPolicies.Names)
        {
            Assert.Equal(name, BackendPolicies.Create(name, new Random(), _time, out _)!.Name);
        }
    }

    [Fact]
    public void Choose_EveryPolicy_AllocatesNothing()
    {
        foreach (var name in BackendPolicies.Names)
        {
            var policy = BackendPolicies.Create(name, new Random(3), _time, out _)!;
            var route = Route(policy, Backends(10));
            for (int i = 0; i < 100; i++)
            {
                policy.Choose(route, Flow(i));
            }

            long before = GC.GetAllocatedBytesForCurrentThread();
            for (int i = 0; i < 10_000; i++)
            {
                policy.Choose(route, Flow(i));
            }

            Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        }
    }
}
