using Minuet.DataPlane.L4lb.Selection;
using static Minuet.DataPlane.Tests.L4lb.Selection.PolicyTestSupport;

namespace Minuet.DataPlane.Tests.L4lb.Selection;

public class MaglevPolicyTests
{
    private const int Size = MaglevPolicy.MaxTableSize;

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
    [InlineData(1, 251)]
    [InlineData(10, 1021)]
    [InlineData(100, 16381)]
    [InlineData(10000, 65537)]
    public void TableSizeFor_BackendCount_SmallestListedPrimeAboveHundredTimes(int backends, int expected) =>
        Assert.Equal(expected, new MaglevPolicy(TimeProvider.System).TableSizeFor(backends));

    [Fact]
    public void Constructor_NonPrimeSize_Rejected() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new MaglevPolicy(TimeProvider.System, 65536));
}
