using Minuet.Native.Netlink;
using Minuet.Native.Tests.Support;

namespace Minuet.Native.Tests.Netlink;

public class NetlinkAttributeReaderTests
{
    [Fact]
    public void TryRead_NestedAttributes_WalksIntoTheNest()
    {
        // CTA_TUPLE_ORIG { CTA_TUPLE_IP { src, dst }, CTA_TUPLE_PROTO { num 6 } } as the kernel sends it.
        var bytes = Hex.Parse("24 00 01 80 14 00 01 80 08 00 01 00 c6 12 00 01 08 00 02 00 c6 13 00 0a" +
                              "0c 00 02 80 05 00 01 00 06 00 00 00");

        var outer = new NetlinkAttributeReader(bytes);
        Assert.True(outer.TryRead(out var tuple));
        Assert.True(tuple.IsNested);
        Assert.Equal(1, tuple.Type);

        var inner = tuple.Nested;
        Assert.True(inner.TryRead(out var ip));
        var addresses = ip.Nested;
        Assert.True(addresses.TryRead(out var source));
        Assert.True(source.TryGetU32BigEndian(out uint sourceAddress));
        Assert.Equal(0xc6120001u, sourceAddress);
        Assert.True(addresses.TryRead(out var destination));
        Assert.True(destination.TryGetU32BigEndian(out uint destinationAddress));
        Assert.Equal(0xc613000au, destinationAddress);
        Assert.True(inner.TryRead(out var proto));
        Assert.True(proto.Nested.TryRead(out var number));
        Assert.True(number.TryGetU8(out byte protocol));
        Assert.Equal(6, protocol);
        Assert.False(outer.TryRead(out _));
        Assert.Equal(NetlinkReadError.None, outer.Error);
    }

    [Theory]
    [InlineData("02 00 01 00", NetlinkReadError.LengthTooSmall)]
    [InlineData("09 00 01 00 00 00 00 00", NetlinkReadError.Truncated)]
    [InlineData("08 00", NetlinkReadError.Truncated)]
    public void TryRead_BadLength_StopsWithReason(string dump, NetlinkReadError expected)
    {
        var reader = new NetlinkAttributeReader(Hex.Parse(dump));

        Assert.False(reader.TryRead(out _));
        Assert.Equal(expected, reader.Error);
    }

    [Fact]
    public void TryGetU32BigEndian_ValueTooShort_ReturnsFalse()
    {
        var reader = new NetlinkAttributeReader(Hex.Parse("06 00 07 00 00 3c 00 00"));

        Assert.True(reader.TryRead(out var attribute));
        Assert.False(attribute.TryGetU32BigEndian(out _));
        Assert.True(attribute.TryGetU16BigEndian(out ushort value));
        Assert.Equal(60, value);
    }
}
