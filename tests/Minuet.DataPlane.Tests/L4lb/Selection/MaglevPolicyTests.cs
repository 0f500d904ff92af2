using Minuet.DataPlane.L4lb.Selection;
using static Minuet.DataPlane.Tests.L4lb.Selection.PolicyTestSupport;

namespace Minuet.DataPlane.Tests.L4lb.Selection;

public class MaglevPolicyTests
{
    // The size production ships (BackendPolicies creates the policy with its default), not one chosen for tests.
    private static readonly int Size = ShippedPolicy().TableSize;

    [Fact]
    public void BuildTable_BackendLeaves_FewOtherSlotsMove()
    {
        var backends = Backends(10);
        var before = MaglevPolicy.BuildTable(backends, Size).Select(i => backends[i].Endpoint).ToArray();
        var remaining = backends.Where((_, i) => i != 3).ToArray();
        var after = MaglevPolicy.BuildTable(remaining, Size).Select(i => remaining[i].Endpoint).ToArray();

        int ownedByLeaver = before.Count(e => e == backends[3].Endpoint);
        int movedOthers = Enumerable.Range(0, Size).Count(s => before[s] != backends[3].Endpoint && before[s] != after[s]);

        // The leaver's ~10% must move; Maglev moves only a few percent of the rest (the paper's "minimal disruption").
        Assert.InRange(ownedByLeaver, Size / 10 * 0.9, Size / 10 * 1.1);
        Assert.True(movedOthers < Size * 0.03, $"{movedOthers} of {Size} slots moved that did not belong to the leaver");
    }

    [Fact]
    public void BuildTable_TenBackends_SlotsSpreadEvenly()
    {
        var table = MaglevPolicy.BuildTable(Backends(10), Size);
        var counts = table.GroupBy(i => i).Select(g => g.Count()).ToArray();

        Assert.Equal(10, counts.Length);
        Assert.All(counts, c => Assert.InRange(c, Size / 10 * 0.99, Size / 10 * 1.01));
    }

    [Fact]
    public void Choose_SameFlow_SameBackendAcrossTableRebuilds()
    {
        var time = new ManualTimeProvider();
        var policy = new MaglevPolicy(time, Size);
        var first = Route(policy, Backends(5));
        var rebuilt = Route(policy, Backends(5));

        for (int i = 0; i < 1000; i++)
        {
            Assert.Equal(policy.Choose(first, Flow(i))!.Endpoint, policy.Choose(rebuilt, Flow(i))!.Endpoint);
        }
    }

    [Fact]
    public void Choose_BenchedOwner_FallsThroughToOpenBackend()
    {
        var time = new ManualTimeProvider();
        var policy = new MaglevPolicy(time, Size);
        var backends = Backends(3);
        var route = Route(policy, backends);
        Bench(backends[0], time);

        for (int i = 0; i < 500; i++)
        {
            Assert.NotSame(backends[0], policy.Choose(route, Flow(i)));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(9)]
    [InlineData(10)]
    [InlineData(20)]
    [InlineData(50)]
    [InlineData(100)]
    public void Choose_ShippedPolicyOneBackendJoins_AboutOneInNPlusOneFlowsMove(int n)
    {
        var policy = ShippedPolicy();
        var all = Backends(n + 1);
        var before = Route(policy, all[..n]);
        var after = Route(policy, all);

        const int flows = 40_000;
        int moved = 0;
        int movedElsewhere = 0;
        for (int i = 0; i < flows; i++)
        {
            var was = policy.Choose(before, Flow(i))!.Endpoint;
            var now = policy.Choose(after, Flow(i))!.Endpoint;
            if (was != now)
            {
                moved++;
                movedElsewhere += now == all[n].Endpoint ? 0 : 1;
            }
        }

        // Ideal is exactly the newcomer's share; Maglev moves a little more (the paper's "minimal disruption").
        double ideal = 1.0 / (n + 1);
        double fraction = (double)moved / flows;
        Assert.True(
            fraction >= ideal * 0.8 && fraction <= (ideal * 1.25) + 0.02,
            $"{n} -> {n + 1} backends moved {fraction:P2} of flows; about {ideal:P2} expected");
        Assert.True(movedElsewhere < flows * 0.02, $"{movedElsewhere} flows moved between old backends");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(10)]
    [InlineData(11)]
    [InlineData(2000)]
    public void TableSize_AnyBackendCount_SamePrime(int backends)
    {
        var policy = ShippedPolicy();
        var route = Route(policy, Backends(backends));

        Assert.Equal(MaglevPolicy.DefaultTableSize, policy.TableSize);
        Assert.Equal(policy.TableSize, Assert.IsType<ushort[]>(route.PolicyState).Length);
    }

    [Fact]
    public void Constructor_NonPrimeSize_Rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaglevPolicy(TimeProvider.System, 65536));

    private static MaglevPolicy ShippedPolicy() =>
        Assert.IsType<MaglevPolicy>(BackendPolicies.Create(MaglevPolicy.PolicyName, new Random(1), TimeProvider.System, out _));
}
