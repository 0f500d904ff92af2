using Minuet.ControlPlane.Allocation;

namespace Minuet.ControlPlane.Tests.Allocation;

/// <summary>Scenarios from apache/mesos src/tests/hierarchical_allocator_tests.cpp and sorter_tests.cpp, by name.</summary>
public class HierarchicalAllocatorTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static Resources R(double cpus, double mem, double disk = 0) => new(cpus, mem, disk);

    private static AgentResources Agent(double cpus, double mem, double disk = 0) => new(R(cpus, mem, disk));

    private static AllocatorOffer Single(IReadOnlyList<AllocatorOffer> offers)
    {
        Assert.Single(offers);
        return offers[0];
    }

    [Fact]
    public void Allocate_DrfWorkedExample_ATakesThreeTasksBTwoAtEqualDominantShare()
    {
        // Ghodsi et al. NSDI'11: 9 CPU / 18 GB; A's tasks need <1 CPU, 4 GB>, B's <3 CPU, 1 GB>.
        var allocator = new HierarchicalAllocator();
        allocator.AddAgent("s1", Agent(9, 18 * 1024));
        allocator.AddFramework("A", "a");
        allocator.AddFramework("B", "b");
        var need = new Dictionary<string, Resources> { ["A"] = R(1, 4096), ["B"] = R(3, 1024) };
        var launched = new Dictionary<string, int> { ["A"] = 0, ["B"] = 0 };
        var now = T0;
        for (int cycle = 0; cycle < 50; cycle++)
        {
            var offers = allocator.Allocate(now);
            if (offers.Count == 0)
            {
                break;
            }

            foreach (var offer in offers)
            {
                // Progressive filling: take one task's worth if it fits, return the rest; otherwise refuse for good.
                var slice = new AllocatedSlice(offer.Unreserved, offer.Reserved);
                if (slice.Take(need[offer.FrameworkId]) is { } used)
                {
                    launched[offer.FrameworkId]++;
                    allocator.Recover(offer.AgentId, offer.FrameworkId, slice - used, null, now);
                }
                else
                {
                    allocator.Recover(offer.AgentId, offer.FrameworkId, slice, TimeSpan.FromDays(1), now);
                }
            }

            now += TimeSpan.FromSeconds(1);
        }

        Assert.Equal(3, launched["A"]);
        Assert.Equal(2, launched["B"]);
        Assert.Equal(2.0 / 3, allocator.ShareOf("a"), 6);
        Assert.Equal(2.0 / 3, allocator.ShareOf("b"), 6);
    }

    [Fact]
    public void Allocate_UnreservedDRF_LowestShareRoleThenLowestShareFramework()
    {
        var allocator = new HierarchicalAllocator();
        allocator.AddFramework("f1", "r1");
        allocator.AddAgent("s1", Agent(2, 1024));
        Assert.Equal("f1", Single(allocator.Allocate(T0)).FrameworkId);

        allocator.AddFramework("f2", "r2");
        allocator.AddAgent("s2", Agent(1, 512));
        Assert.Equal("f2", Single(allocator.Allocate(T0)).FrameworkId);

        // r2's share 0.16 against r1's 0.33.
        allocator.AddAgent("s3", Agent(3, 2048));
        Assert.Equal("f2", Single(allocator.Allocate(T0)).FrameworkId);

        // r1 (0.2) is now below r2 (0.4); inside r1, f3 holds nothing.
        allocator.AddFramework("f3", "r1");
        allocator.AddAgent("s4", Agent(4, 4096));
        Assert.Equal("f3", Single(allocator.Allocate(T0)).FrameworkId);

        // f4 holds nothing, but its role r1 (0.63) is above r2 (0.36).
        allocator.AddFramework("f4", "r1");
        allocator.AddAgent("s5", Agent(1, 512));
        Assert.Equal("f2", Single(allocator.Allocate(T0)).FrameworkId);
    }

    [Fact]
    public void Allocate_ReservedDRF_ReservationsOnlyToTheirRoleAndCountTowardShare()
    {
        var allocator = new HierarchicalAllocator();
        allocator.AddFramework("f1", "r1");
        allocator.AddAgent("s1", new AgentResources(R(1, 512), new Dictionary<string, Resources> { ["r1"] = R(100, 1024) }));
        var first = Single(allocator.Allocate(T0));
        Assert.Equal("f1", first.FrameworkId);
        Assert.Equal(R(1, 512), first.Unreserved);
        Assert.Equal(R(100, 1024), first.Reserved);

        allocator.AddFramework("f2", "r2");
        allocator.AddAgent("s2", Agent(2, 512));
        Assert.Equal("f2", Single(allocator.Allocate(T0)).FrameworkId);
        allocator.AddAgent("s3", Agent(2, 512));
        Assert.Equal("f2", Single(allocator.Allocate(T0)).FrameworkId);

        allocator.AddFramework("f3", "r1");
        allocator.AddAgent("s4", new AgentResources(Resources.Empty, new Dictionary<string, Resources> { ["r1"] = R(3, 2048) }));
        var fourth = Single(allocator.Allocate(T0));
        Assert.Equal("f3", fourth.FrameworkId);
        Assert.Equal(R(3, 2048), fourth.Reserved);
    }

    [Fact]
    public void Allocate_CoarseGrained_EachRoleGetsOneWholeAgentInOneCycle()
    {
        var allocator = new HierarchicalAllocator();
        allocator.AddAgent("s1", Agent(2, 1024));
        allocator.AddAgent("s2", Agent(2, 1024));
        allocator.AddFramework("f1", "r1");
        allocator.AddFramework("f2", "r2");
        var offers = allocator.Allocate(T0);
        Assert.Equal(2, offers.Count);
        Assert.NotEqual(offers[0].FrameworkId, offers[1].FrameworkId);
        Assert.NotEqual(offers[0].AgentId, offers[1].AgentId);
        Assert.All(offers, o => Assert.Equal(R(2, 1024), o.Total));
    }

    [Fact]
    public void Allocate_SameShareFairness_AllocationCountBreaksTiesFiveEach()
    {
        var allocator = new HierarchicalAllocator();
        allocator.AddAgent("s1", Agent(2, 1024));
        allocator.AddFramework("f1", "*");
        allocator.AddFramework("f2", "*");
        var counts = new Dictionary<string, int> { ["f1"] = 0, ["f2"] = 0 };
        for (int i = 0; i < 10; i++)
        {
            var offer = Single(allocator.Allocate(T0));
            counts[offer.FrameworkId]++;
            allocator.Recover(offer.AgentId, offer.FrameworkId, new AllocatedSlice(offer.Unreserved, offer.Reserved), null, T0);
        }

        Assert.Equal(5, counts["f1"]);
        Assert.Equal(5, counts["f2"]);
    }

    [Fact]
    public void Allocate_OfferFilter_RefusedAgentReofferedOnlyAfterFilterExpires()
    {
        var allocator = new HierarchicalAllocator();
        allocator.AddAgent("s1", Agent(2, 1024));
        allocator.AddFramework("f1", "r1");
        var offer = Single(allocator.Allocate(T0));
        var interval = TimeSpan.FromSeconds(1);
        allocator.Recover("s1", "f1", new AllocatedSlice(offer.Unreserved, offer.Reserved), interval * 2, T0);

        Assert.Empty(allocator.Allocate(T0 + interval));
        var again = Single(allocator.Allocate(T0 + (interval * 2)));
        Assert.Equal(R(2, 1024), again.Total);
    }

    [Fact]
    public void Allocate_DefaultRefuse_IsFiveSeconds()
    {
        Assert.Equal(TimeSpan.FromSeconds(5), new AllocatorOptions().DefaultRefuse);
    }

    [Fact]
    public void Allocate_FilterCoversSubsetOnly_MoreResourcesAreOffered()
    {
        var allocator = new HierarchicalAllocator();
        allocator.AddAgent("s1", Agent(2, 1024));
        allocator.AddFramework("f1", "r1");
        allocator.AddFramework("f2", "r2");
        var offers = allocator.Allocate(T0);
        var o1 = Single(offers);
        allocator.Recover("s1", o1.FrameworkId, new AllocatedSlice(R(1, 512), Resources.Empty), TimeSpan.FromMinutes(1), T0);
        // The other framework takes the freed half; when the holder returns the rest, the full agent exceeds the filter.
        var o2 = Single(allocator.Allocate(T0));
        Assert.NotEqual(o1.FrameworkId, o2.FrameworkId);
        allocator.Recover("s1", o1.FrameworkId, new AllocatedSlice(R(1, 512), Resources.Empty), null, T0);
        allocator.Recover("s1", o2.FrameworkId, new AllocatedSlice(o2.Unreserved, o2.Reserved), TimeSpan.FromMinutes(1), T0);
        var o3 = Single(allocator.Allocate(T0));
        Assert.Equal(o1.FrameworkId, o3.FrameworkId);
        Assert.Equal(R(2, 1024), o3.Total);
    }

    [Fact]
    public void Allocate_QuotaProvidesGuarantee_HeadroomHeldBackFromNonQuotaRole()
    {
        var allocator = new HierarchicalAllocator();
        allocator.SetQuota("quota", new RoleQuota(R(2, 1024)));
        allocator.AddFramework("fq", "quota");
        allocator.AddFramework("fn", "nonquota");
        allocator.AddAgent("s1", Agent(1, 512));
        allocator.AddAgent("s2", Agent(1, 512));

        var offers = allocator.Allocate(T0);
        Assert.Equal(2, offers.Count);
        Assert.All(offers, o => Assert.Equal("fq", o.FrameworkId));

        // The quota role declines one agent with a filter: the resources must not go to the non-quota role.
        allocator.Recover("s2", "fq", new AllocatedSlice(R(1, 512), Resources.Empty), TimeSpan.FromSeconds(5), T0);
        Assert.Empty(allocator.Allocate(T0 + TimeSpan.FromSeconds(1)));

        var back = Single(allocator.Allocate(T0 + TimeSpan.FromSeconds(5)));
        Assert.Equal("fq", back.FrameworkId);
        Assert.Equal("s2", back.AgentId);
    }

    [Fact]
    public void Allocate_QuotaProvidesLimit_RoleCutToItsLimit()
    {
        var allocator = new HierarchicalAllocator();
        allocator.SetQuota("*", new RoleQuota(Resources.Empty, R(0, 0, 0)));
        allocator.AddFramework("f1", "*");
        allocator.AddFramework("f2", "other");
        allocator.AddAgent("s1", Agent(2, 1024, 1024));
        var whole = Single(allocator.Allocate(T0));
        Assert.Equal("f2", whole.FrameworkId);
        Assert.Equal(R(2, 1024, 1024), whole.Total);

        allocator.SetQuota("*", new RoleQuota(Resources.Empty, R(1, 512, 512)));
        allocator.AddAgent("s2", Agent(2, 1024, 1024));
        var offers = allocator.Allocate(T0);
        Assert.Equal(2, offers.Count);
        Assert.Equal(R(1, 512, 512), offers.Single(o => o.FrameworkId == "f1").Total);
        Assert.Equal(R(1, 512, 512), offers.Single(o => o.FrameworkId == "f2").Total);
    }

    [Theory]
    [InlineData(1, 1, 0, 3, 3, 0)]
    [InlineData(1, 2, 0, 2, 4, 0)]
    [InlineData(1, 2, 3, 1, 2, 3)]
    public void Allocate_UpdateWeight_AgentsSplitByWeight(double w1, double w2, double w3, int n1, int n2, int n3)
    {
        var allocator = new HierarchicalAllocator();
        for (int i = 1; i <= 6; i++)
        {
            allocator.AddAgent($"s{i}", Agent(2, 1024));
        }

        allocator.SetWeight("role1", w1);
        allocator.SetWeight("role2", w2);
        allocator.AddFramework("f1", "role1");
        allocator.AddFramework("f2", "role2");
        if (w3 > 0)
        {
            allocator.SetWeight("role3", w3);
            allocator.AddFramework("f3", "role3");
        }

        var offers = allocator.Allocate(T0);
        Assert.Equal(6, offers.Count);
        Assert.Equal(n1, offers.Count(o => o.Role == "role1"));
        Assert.Equal(n2, offers.Count(o => o.Role == "role2"));
        Assert.Equal(n3, offers.Count(o => o.Role == "role3"));
    }

    [Theory]
    [InlineData(0.005, 16, false)]
    [InlineData(0.01, 16, true)]
    [InlineData(0.005, 32, true)]
    public void Allocate_Allocatable_EitherMinimumSuffices(double cpus, double mem, bool offered)
    {
        var allocator = new HierarchicalAllocator();
        allocator.AddAgent("s1", Agent(cpus, mem));
        allocator.AddFramework("f1", "*");
        Assert.Equal(offered, allocator.Allocate(T0).Count == 1);
    }

    [Fact]
    public void Allocate_SuppressAndRevive_NoOffersWhileSuppressed()
    {
        var allocator = new HierarchicalAllocator();
        allocator.AddAgent("s1", Agent(2, 1024));
        allocator.AddFramework("f1", "*");
        allocator.Suppress("f1");
        Assert.Empty(allocator.Allocate(T0));
        allocator.Revive("f1");
        Assert.Single(allocator.Allocate(T0));
    }

    [Fact]
    public void Revive_ClearsFilters()
    {
        var allocator = new HierarchicalAllocator();
        allocator.AddAgent("s1", Agent(2, 1024));
        allocator.AddFramework("f1", "*");
        var offer = Single(allocator.Allocate(T0));
        allocator.Recover("s1", "f1", new AllocatedSlice(offer.Unreserved, offer.Reserved), TimeSpan.FromHours(1), T0);
        Assert.Empty(allocator.Allocate(T0));
        allocator.Revive("f1");
        Assert.Single(allocator.Allocate(T0));
    }

    [Fact]
    public void RemoveAgent_DropsAllocationsAndTotals_FrameworkShareFalls()
    {
        var allocator = new HierarchicalAllocator();
        allocator.AddFramework("f1", "r1");
        allocator.AddAgent("s1", Agent(4, 4096));
        Assert.Equal("f1", Single(allocator.Allocate(T0)).FrameworkId);
        allocator.AddFramework("f2", "r2");
        allocator.AddAgent("s2", Agent(2, 2048));
        Assert.Equal("f2", Single(allocator.Allocate(T0)).FrameworkId);

        Assert.True(allocator.RemoveAgent("s1"));
        Assert.Equal(R(2, 2048), allocator.ClusterTotal);
        Assert.Equal(0, allocator.ShareOf("r1"));

        // r1 now holds nothing, so the next agent goes to f1 even though f2 joined later.
        allocator.AddAgent("s3", Agent(2, 2048));
        var offer = Single(allocator.Allocate(T0));
        Assert.Equal("f1", offer.FrameworkId);
        Assert.Equal("s3", offer.AgentId);
        Assert.False(allocator.RemoveAgent("s1"));
    }

    [Fact]
    public void RemoveFramework_ReturnsItsResources()
    {
        var allocator = new HierarchicalAllocator();
        allocator.AddAgent("s1", Agent(2, 1024));
        allocator.AddFramework("f1", "r1");
        Single(allocator.Allocate(T0));
        allocator.AddFramework("f2", "r2");
        Assert.Empty(allocator.Allocate(T0));
        allocator.RemoveFramework("f1");
        Assert.Equal("f2", Single(allocator.Allocate(T0)).FrameworkId);
    }

    [Fact]
    public void Reserve_DynamicFromFreePool_OfferedOnlyToRole()
    {
        var allocator = new HierarchicalAllocator();
        allocator.AddAgent("s1", Agent(4, 2048));
        Assert.Null(allocator.Reserve("s1", "web", R(2, 1024)));
        allocator.AddFramework("f1", "other");
        var other = Single(allocator.Allocate(T0));
        Assert.Equal(R(2, 1024), other.Total);
        Assert.Equal(Resources.Empty, other.Reserved);

        allocator.AddFramework("f2", "web");
        var web = Single(allocator.Allocate(T0));
        Assert.Equal("f2", web.FrameworkId);
        Assert.Equal(R(2, 1024), web.Reserved);
        Assert.NotNull(allocator.Reserve("s1", "web", R(1, 1)));
    }

    [Fact]
    public void Reserve_FromOffer_ThenUnreserveReturnsToPool()
    {
        var allocator = new HierarchicalAllocator();
        allocator.AddAgent("s1", Agent(4, 2048));
        allocator.AddFramework("f1", "web");
        var offer = Single(allocator.Allocate(T0));
        Assert.Null(allocator.Reserve("s1", "web", R(1, 512), "f1"));
        Assert.Equal(R(1, 512), allocator.AllocationOf("s1", "f1").Reserved);
        allocator.Recover("s1", "f1", allocator.AllocationOf("s1", "f1"), null, T0);
        Assert.Equal(R(1, 512), allocator.TotalOf("s1")!.Reserved["web"]);

        Assert.Null(allocator.Unreserve("s1", "web", R(1, 512)));
        Assert.Equal(R(4, 2048), allocator.FreeOf("s1")!.Unreserved);
        Assert.Equal(R(4, 2048), offer.Total);
    }

    [Fact]
    public void Recover_MoreThanHeld_DoesNotInflatePool()
    {
        var allocator = new HierarchicalAllocator();
        allocator.AddAgent("s1", Agent(2, 1024));
        allocator.AddFramework("f1", "*");
        Single(allocator.Allocate(T0));
        allocator.Recover("s1", "f1", new AllocatedSlice(R(10, 10000), Resources.Empty), null, T0);
        allocator.Recover("s1", "f1", new AllocatedSlice(R(10, 10000), Resources.Empty), null, T0);
        Assert.Equal(R(2, 1024), allocator.FreeOf("s1")!.Unreserved);
    }

    [Fact]
    public void Offer_IncludesPorts()
    {
        var allocator = new HierarchicalAllocator();
        allocator.AddAgent("s1", new AgentResources(R(1, 128).WithPorts(PortSet.Parse("[31000-32000]"))));
        allocator.AddFramework("f1", "*");
        Assert.Equal("[31000-32000]", Single(allocator.Allocate(T0)).Unreserved.Ports.ToString());
    }

    [Fact]
    public void DrfSorter_DrfAndWeights_OrderAsMesosSorterTests()
    {
        // sorter_tests.cpp DRF/WDRF: of 100 cpu / 100 mem, a = 5/5 and b = 6/6 sort [a, b]; b at weight 2 sorts [b, a].
        // Re-adoption of running tasks places exact allocations on the agent.
        var allocator = new HierarchicalAllocator();
        allocator.AddAgent("big", Agent(100, 100), [("fa", "a", new AllocatedSlice(R(5, 5), Resources.Empty)), ("fb", "b", new AllocatedSlice(R(6, 6), Resources.Empty))]);
        allocator.SetFrameworkActive("fa", true);
        allocator.SetFrameworkActive("fb", true);
        Assert.Equal(["a", "b"], allocator.RoleOrder());
        allocator.SetWeight("b", 2);
        Assert.Equal(["b", "a"], allocator.RoleOrder());
    }

    [Fact]
    public void RoleOrder_NestedRoles_CompareSubtreesFirst()
    {
        var allocator = new HierarchicalAllocator();
        allocator.AddAgent("s1", Agent(100, 100), [
            ("f1", "eng/web", new AllocatedSlice(R(10, 10), Resources.Empty)),
            ("f2", "eng/db", new AllocatedSlice(R(30, 30), Resources.Empty)),
            ("f3", "ops", new AllocatedSlice(R(20, 20), Resources.Empty)),
        ]);
        foreach (var f in new[] { "f1", "f2", "f3" })
        {
            allocator.SetFrameworkActive(f, true);
        }

        // Subtree eng holds 40 > ops 20, so ops comes first even though eng/web alone holds only 10.
        Assert.Equal(["ops", "eng/web", "eng/db"], allocator.RoleOrder());
    }
}
