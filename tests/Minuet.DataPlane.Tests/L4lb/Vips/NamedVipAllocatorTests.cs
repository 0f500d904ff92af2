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
