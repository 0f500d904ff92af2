using Minuet.DataPlane.L4lb.Selection;
using static Minuet.DataPlane.Tests.L4lb.Selection.PolicyTestSupport;

namespace Minuet.DataPlane.Tests.L4lb.Selection;

public class PowerOfTwoChoicesPolicyTests
{
    private readonly ManualTimeProvider _time = new();

    [Fact]
    public void Choose_TwoBackends_PrefersTheLessLoaded()
    {
        var policy = new PowerOfTwoChoicesPolicy(new Random(1), _time);
        var backends = Backends(2);
        for (int i = 0; i < 10; i++)
        {
            backends[0].ConnectionStarted();
        }

        var route = Route(policy, backends);
        for (int i = 0; i < 100; i++)
        {
            Assert.Same(backends[1], policy.Choose(route, Flow(i)));
        }
    }

    [Fact]
    public void Choose_ManyBackends_LoadedOneChosenLessThanFairShare()
    {
        var policy = new PowerOfTwoChoicesPolicy(new Random(2), _time);
        var backends = Backends(4);
        for (int i = 0; i < 5; i++)
        {
            backends[0].ConnectionStarted();
        }

        var route = Route(policy, backends);
        int loaded = Enumerable.Range(0, 4000).Count(i => policy.Choose(route, Flow(i)) == backends[0]);

        // P2C picks the loaded one only when both draws are it, which never happens (draws are distinct).
        Assert.Equal(0, loaded);
    }

    [Fact]
    public void Choose_BenchedBackend_AvoidedWhileOthersOpen()
    {
        var policy = new PowerOfTwoChoicesPolicy(new Random(3), _time);
        var backends = Backends(3);
        Bench(backends[1], _time);
        var route = Route(policy, backends);

        for (int i = 0; i < 300; i++)
        {
            Assert.NotSame(backends[1], policy.Choose(route, Flow(i)));
        }
    }

    [Fact]
    public void Choose_BenchPeriodOver_BackendChosenAgain()
    {
        var policy = new PowerOfTwoChoicesPolicy(new Random(4), _time);
        var backends = Backends(2);
        Bench(backends[0], _time);
        var route = Route(policy, backends);
        Assert.True(backends[0].IsBenched(_time.GetTimestamp()));

        _time.Advance(TimeSpan.FromSeconds(31));

        Assert.False(backends[0].IsBenched(_time.GetTimestamp()));
        Assert.Contains(Enumerable.Range(0, 50).Select(i => policy.Choose(route, Flow(i))), b => b == backends[0]);
    }

    [Fact]
    public void Choose_AllBenched_StillChoosesOne()
    {
        var policy = new PowerOfTwoChoicesPolicy(new Random(5), _time);
        var backends = Backends(3);
        foreach (var backend in backends)
        {
            Bench(backend, _time);
        }

        Assert.NotNull(policy.Choose(Route(policy, backends), Flow(0)));
    }

    [Fact]
    public void Choose_NoBackends_ReturnsNull()
    {
        var policy = new PowerOfTwoChoicesPolicy(new Random(6), _time);

        Assert.Null(policy.Choose(Route(policy, []), Flow(0)));
    }
}
