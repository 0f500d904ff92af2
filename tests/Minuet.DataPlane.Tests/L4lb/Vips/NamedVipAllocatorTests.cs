using Minuet.DataPlane.L4lb.Vips;

namespace Minuet.DataPlane.Tests.L4lb.Vips;

public class NamedVipAllocatorTests
{
    private static readonly string[] Names = [.. Enumerable.Range(0, 200).Select(i => $"app{i}.marathon")];

    [Fact]
    public void Allocate_AnyOrder_GivesSameAddresses()
    {
        var allocator = new NamedVipAllocator(VipRange.Parse("198.19.0.0/16"));
        var reference = allocator.Allocate(Names, new HashSet<uint>()).Addresses;

        var random = new Random(7);
        for (int round = 0; round < 5; round++)
        {
            var shuffled = Names.OrderBy(_ => random.Next()).ToArray();
            var again = allocator.Allocate(shuffled, new HashSet<uint>()).Addresses;
            Assert.Equal(reference.OrderBy(kv => kv.Key), again.OrderBy(kv => kv.Key));
        }
    }

    [Fact]
    public void Allocate_SameAllocatorAfterOtherNames_GivesWhatAFreshAllocatorGives()
    {
        // The allocator keeps each name's preferred slot between calls: a cached slot must never differ from a fresh hash.
        var used = new NamedVipAllocator(VipRange.Parse("198.19.0.0/24"));
        used.Allocate(Names[..150], new HashSet<uint>());
        used.Allocate(Names[100..], new HashSet<uint>());

        var reserved = new HashSet<uint> { VipRange.Parse("198.19.0.0/24").AddressAt(3) };
        var again = used.Allocate(Names[50..], reserved);
        var fresh = new NamedVipAllocator(VipRange.Parse("198.19.0.0/24")).Allocate(Names[50..], reserved);

        Assert.Equal(fresh.Addresses.OrderBy(kv => kv.Key, StringComparer.Ordinal), again.Addresses.OrderBy(kv => kv.Key, StringComparer.Ordinal));
        Assert.Equal(fresh.Unplaced, again.Unplaced);
        Assert.All(Names[50..], n => Assert.True(again.Addresses.ContainsKey(n) || again.Unplaced.Contains(n)));
    }

    [Fact]
    public void Allocate_SmallRangeWithCollisions_StillOrderIndependentAndUnique()
    {
        // 14 usable addresses for 12 names: collisions are certain.
        var allocator = new NamedVipAllocator(VipRange.Parse("198.19.0.0/28"));
        var names = Names.Take(12).ToArray();
        var first = allocator.Allocate(names, new HashSet<uint>()).Addresses;
        var reversed = allocator.Allocate(names.Reverse(), new HashSet<uint>()).Addresses;

        Assert.Equal(12, first.Count);
        Assert.Equal(12, first.Values.Distinct().Count());
        Assert.Equal(first.OrderBy(kv => kv.Key), reversed.OrderBy(kv => kv.Key));
        Assert.True(names.Select(allocator.PreferredSlot).Distinct().Count() < 12, "test needs a collision");
    }

    [Fact]
    public void Allocate_Addresses_InsideRangeExcludingNetworkAndBroadcast()
    {
        var range = VipRange.Parse("198.19.0.0/24");
        var result = new NamedVipAllocator(range).Allocate(Names, new HashSet<uint>());

        Assert.Empty(result.Unplaced);
        Assert.All(result.Addresses.Values, a =>
        {
            Assert.True(range.Contains(a));
            Assert.NotEqual(range.Network, a);
            Assert.NotEqual(range.Network + 255, a);
        });
        Assert.Equal(Names.Length, result.Addresses.Values.Distinct().Count());
    }

    [Fact]
    public void Allocate_AddingNonCollidingName_KeepsExistingAddresses()
    {
        var allocator = new NamedVipAllocator(VipRange.Parse("198.19.0.0/16"));
        var before = allocator.Allocate(Names, new HashSet<uint>()).Addresses;
        var taken = before.Values.Select(a => a - allocator.Range.First).Select(s => (long)s).ToHashSet();
        var extra = Enumerable.Range(0, 1000).Select(i => $"extra{i}.marathon").First(n => !taken.Contains(allocator.PreferredSlot(n)));

        var after = allocator.Allocate(Names.Append(extra), new HashSet<uint>()).Addresses;

        foreach (var (name, address) in before)
        {
            Assert.Equal(address, after[name]);
        }
    }

    [Fact]
    public void Allocate_NewerNameCollidingAndSmaller_OlderKeepsItsAddress()
    {
        var allocator = new NamedVipAllocator(VipRange.Parse("198.19.0.0/16"));
        var (incumbent, newcomer) = CollidingPair(allocator);
        var before = allocator.Allocate([new NamedVipClaim(incumbent, 100, "inc.1")], new HashSet<uint>()).Addresses;

        var after = allocator.Allocate(
            [new NamedVipClaim(newcomer, 200, "new.1"), new NamedVipClaim(incumbent, 100, "inc.1")],
            new HashSet<uint>()).Addresses;

        // The newcomer sorts first by name, which used to win it the slot; seniority keeps the incumbent there.
        Assert.True(string.CompareOrdinal(newcomer, incumbent) < 0);
        Assert.Equal(allocator.Range.AddressAt(allocator.PreferredSlot(incumbent)), before[incumbent]);
        Assert.Equal(before[incumbent], after[incumbent]);
        Assert.NotEqual(after[incumbent], after[newcomer]);
    }

    [Fact]
    public void Allocate_NewcomerPreferringASlotAnOlderNameProbedInto_ProbesOn()
    {
        // Three names preferring one slot of a tiny range: the second oldest probes into the next slot; a
        // newcomer whose own preferred slot is that next slot must not take it from the live VIP.
        var allocator = new NamedVipAllocator(VipRange.Parse("198.19.0.0/26"));
        var bySlot = Enumerable.Range(0, 5000).Select(i => $"svc{i}.marathon").GroupBy(allocator.PreferredSlot).ToDictionary(g => g.Key, g => g.ToList());
        var (slot, pair) = bySlot.First(kv => kv.Value.Count >= 2 && bySlot.ContainsKey((kv.Key + 1) % allocator.Range.Size));
        var next = bySlot[(slot + 1) % allocator.Range.Size][0];
        NamedVipClaim[] live = [new(pair[0], 100, "a"), new(pair[1], 110, "b")];
        var before = allocator.Allocate(live, new HashSet<uint>()).Addresses;

        var after = allocator.Allocate([.. live, new NamedVipClaim(next, 200, "c")], new HashSet<uint>()).Addresses;

        Assert.Equal(allocator.Range.AddressAt((slot + 1) % allocator.Range.Size), before[pair[1]]);
        Assert.Equal(before[pair[0]], after[pair[0]]);
        Assert.Equal(before[pair[1]], after[pair[1]]);
        Assert.Equal(3, after.Values.Distinct().Count());
    }

    [Fact]
    public void Allocate_SeveralClaimsOnOneName_OldestCounts()
    {
        var allocator = new NamedVipAllocator(VipRange.Parse("198.19.0.0/16"));
        var (incumbent, newcomer) = CollidingPair(allocator);

        // The incumbent's newest task is younger than the newcomer, its oldest is older: the oldest decides.
        var result = allocator.Allocate(
            [new NamedVipClaim(incumbent, 300, "inc.2"), new NamedVipClaim(newcomer, 200, "new.1"), new NamedVipClaim(incumbent, 100, "inc.1")],
            new HashSet<uint>()).Addresses;

        Assert.Equal(allocator.Range.AddressAt(allocator.PreferredSlot(incumbent)), result[incumbent]);
    }

    /// <summary>
    /// Two names whose SHA-256 preferred slots collide in the range (found by search: about 300 names give a
    /// collision in 65,534 slots), returned so the newcomer sorts before the incumbent by name.
    /// </summary>
    internal static (string Incumbent, string Newcomer) CollidingPair(NamedVipAllocator allocator)
    {
        var seen = new Dictionary<long, string>();
        for (int i = 0; ; i++)
        {
            string name = $"svc{i}.marathon";
            long slot = allocator.PreferredSlot(name);
            if (seen.TryGetValue(slot, out var other))
            {
                return string.CompareOrdinal(name, other) < 0 ? (other, name) : (name, other);
            }

            seen[slot] = name;
        }
    }

    [Fact]
    public void Allocate_RangeFull_ReportsUnplaced()
    {
        var result = new NamedVipAllocator(VipRange.Parse("198.19.0.0/30")).Allocate(Names.Take(5), new HashSet<uint>());

        Assert.Equal(2, result.Addresses.Count);
        Assert.Equal(3, result.Unplaced.Count);
    }

    [Fact]
    public void Allocate_ReservedAddress_IsNeverGiven()
    {
        var allocator = new NamedVipAllocator(VipRange.Parse("198.19.0.0/16"));
        var preferred = allocator.Range.AddressAt(allocator.PreferredSlot("web.marathon"));

        var result = allocator.Allocate(["web.marathon"], new HashSet<uint> { preferred });

        Assert.NotEqual(preferred, result.Addresses["web.marathon"]);
    }

    [Theory]
    [InlineData("11.0.0.0/8", true, null)]
    [InlineData("198.19.0.0/16", true, null)]
    [InlineData("198.19.0.1/16", false, "host bits")]
    [InlineData("198.19.0.0", false, "prefix length")]
    [InlineData("198.19.0.0/4", false, "between 8 and 32")]
    [InlineData("web/16", false, "not an IPv4 address")]
    public void VipRangeTryParse_Inputs_ValidatedWithReason(string text, bool ok, string? reasonPart)
    {
        Assert.Equal(ok, VipRange.TryParse(text, out _, out var reason));
        if (reasonPart is not null)
        {
            Assert.Contains(reasonPart, reason, StringComparison.Ordinal);
        }
    }
}
