using Minuet.Native.Netlink.Ipset;
using Minuet.Native.Tests.Support;

namespace Minuet.Native.Tests.Netlink.Ipset;

/// <summary>
/// Golden bytes captured from the ipset tool (v7.17, kernel 6.18) with
/// `strace -e trace=sendto -e write=3 ipset ...`; each builder gets the tool's sequence number so the
/// bytes must match exactly.
/// </summary>
public class IpsetMessagesTests
{
    private static readonly IpsetEntry Vip80 = new(0xc612000a, 80); // 198.18.0.10,tcp:80

    [Fact]
    public void TryBuildCreate_DefaultOptions_MatchesIpsetCreate()
    {
        const string Golden = """
            50 00 00 00 02 06 05 06 d6 3c 02 6b 00 00 00 00 02 00 00 00 05 00 01 00 07 00 00 00 0b 00 02 00
            6d 74 2d 63 61 70 00 00 11 00 03 00 68 61 73 68 3a 69 70 2c 70 6f 72 74 00 00 00 00 05 00 04 00
            07 00 00 00 05 00 05 00 02 00 00 00 04 00 07 80
            """;
        AssertBuilt(Golden, (b, out n) => IpsetMessages.TryBuildCreate(b, 0x6b023cd6, 7, "mt-cap", "hash:ip,port", 7, 0, 0, out n));
    }

    [Fact]
    public void TryBuildCreate_HashSizeAndMaxElem_MatchesIpsetCreateWithOptions()
    {
        const string Golden = """
            60 00 00 00 02 06 05 06 9b 3d 02 6b 00 00 00 00 02 00 00 00 05 00 01 00 07 00 00 00 09 00 02 00
            6d 74 2d 63 00 00 00 00 11 00 03 00 68 61 73 68 3a 69 70 2c 70 6f 72 74 00 00 00 00 05 00 04 00
            07 00 00 00 05 00 05 00 02 00 00 00 14 00 07 80 08 00 12 40 00 00 10 00 08 00 13 40 00 02 00 00
            """;
        AssertBuilt(Golden, (b, out n) => IpsetMessages.TryBuildCreate(b, 0x6b023d9b, 7, "mt-c", "hash:ip,port", 7, 4096, 131072, out n));
    }

    [Fact]
    public void TryBuildAdd_Exclusive_MatchesIpsetAdd()
    {
        const string Golden = """
            50 00 00 00 09 06 05 02 d6 3c 02 6b 00 00 00 00 02 00 00 00 05 00 01 00 07 00 00 00 0b 00 02 00
            6d 74 2d 63 61 70 00 00 28 00 07 80 0c 00 01 80 08 00 01 40 c6 12 00 0a 06 00 04 40 00 50 00 00
            05 00 07 00 06 00 00 00 08 00 09 40 00 00 00 00
            """;
        AssertBuilt(Golden, (b, out n) => IpsetMessages.TryBuildAdd(b, 0x6b023cd6, 7, "mt-cap", Vip80, exclusive: true, out n));
    }

    [Fact]
    public void TryBuildAdd_UdpEntry_MatchesIpsetAddUdp()
    {
        // `ipset add mt-cap 198.19.0.10,udp:53`: the same message with IPSET_ATTR_PROTO 17.
        const string Golden = """
            50 00 00 00 09 06 05 02 c1 ca 16 6b 00 00 00 00 02 00 00 00 05 00 01 00 07 00 00 00 0b 00 02 00
            6d 74 2d 63 61 70 00 00 28 00 07 80 0c 00 01 80 08 00 01 40 c6 13 00 0a 06 00 04 40 00 35 00 00
            05 00 07 00 11 00 00 00 08 00 09 40 00 00 00 00
            """;
        AssertBuilt(Golden, (b, out n) => IpsetMessages.TryBuildAdd(b, 0x6b16cac1, 7, "mt-cap", new IpsetEntry(0xc613000a, 53, IpsetEntry.Udp), exclusive: true, out n));
    }

    [Fact]
    public void TryBuildDel_Exclusive_MatchesIpsetDel()
    {
        const string Golden = """
            50 00 00 00 0a 06 05 02 9b 3d 02 6b 00 00 00 00 02 00 00 00 05 00 01 00 07 00 00 00 09 00 02 00
            6d 74 2d 61 00 00 00 00 28 00 07 80 0c 00 01 80 08 00 01 40 c6 12 00 0b 06 00 04 40 01 bb 00 00
            05 00 07 00 06 00 00 00 08 00 09 40 00 00 00 00
            """;
        AssertBuilt(Golden, (b, out n) => IpsetMessages.TryBuildDel(b, 0x6b023d9b, 7, "mt-a", new IpsetEntry(0xc612000b, 443), exclusive: true, out n));
    }

    [Fact]
    public void TryBuildTest_MatchesIpsetTest()
    {
        const string Golden = """
            48 00 00 00 0b 06 05 00 9b 3d 02 6b 00 00 00 00 02 00 00 00 05 00 01 00 07 00 00 00 09 00 02 00
            6d 74 2d 61 00 00 00 00 20 00 07 80 0c 00 01 80 08 00 01 40 c6 12 00 0a 06 00 04 40 00 50 00 00
            05 00 07 00 06 00 00 00
            """;
        AssertBuilt(Golden, (b, out n) => IpsetMessages.TryBuildTest(b, 0x6b023d9b, 7, "mt-a", Vip80, out n));
    }

    [Fact]
    public void TryBuildFlush_MatchesIpsetFlush()
    {
        const string Golden = "28 00 00 00 04 06 05 00 9a 3d 02 6b 00 00 00 00 02 00 00 00 05 00 01 00 07 00 00 00 09 00 02 00 6d 74 2d 62 00 00 00 00";
        AssertBuilt(Golden, (b, out n) => IpsetMessages.TryBuildFlush(b, 0x6b023d9a, 7, "mt-b", out n));
    }

    [Fact]
    public void TryBuildSwap_MatchesIpsetSwap()
    {
        const string Golden = """
            34 00 00 00 06 06 05 00 9a 3d 02 6b 00 00 00 00 02 00 00 00 05 00 01 00 07 00 00 00 09 00 02 00
            6d 74 2d 61 00 00 00 00 09 00 03 00 6d 74 2d 62 00 00 00 00
            """;
        AssertBuilt(Golden, (b, out n) => IpsetMessages.TryBuildSwap(b, 0x6b023d9a, 7, "mt-a", "mt-b", out n));
    }

    [Fact]
    public void TryBuildDestroy_MatchesIpsetDestroy()
    {
        const string Golden = "28 00 00 00 03 06 05 02 9a 3d 02 6b 00 00 00 00 02 00 00 00 05 00 01 00 07 00 00 00 09 00 02 00 6d 74 2d 61 00 00 00 00";
        AssertBuilt(Golden, (b, out n) => IpsetMessages.TryBuildDestroy(b, 0x6b023d9a, 7, "mt-a", out n));
    }

    [Fact]
    public void TryBuildList_MatchesIpsetList()
    {
        const string Golden = "28 00 00 00 07 06 05 03 9a 3d 02 6b 00 00 00 00 02 00 00 00 05 00 01 00 07 00 00 00 09 00 02 00 6d 74 2d 62 00 00 00 00";
        AssertBuilt(Golden, (b, out n) => IpsetMessages.TryBuildList(b, 0x6b023d9a, 7, "mt-b", out n));
    }

    [Fact]
    public void TryBuildType_MatchesIpsetTypeProbe()
    {
        const string Golden = """
            38 00 00 00 0d 06 01 00 d5 3c 02 6b 00 00 00 00 02 00 00 00 05 00 01 00 07 00 00 00 11 00 03 00
            68 61 73 68 3a 69 70 2c 70 6f 72 74 00 00 00 00 05 00 05 00 02 00 00 00
            """;
        AssertBuilt(Golden, (b, out n) => IpsetMessages.TryBuildType(b, 0x6b023cd5, 7, "hash:ip,port", out n));
    }

    [Fact]
    public void TryBuildAdd_DestinationTooSmall_ReturnsFalse()
    {
        var buffer = new byte[40];

        Assert.False(IpsetMessages.TryBuildAdd(buffer, 1, 7, "mt-cap", Vip80, exclusive: true, out int written));
        Assert.Equal(0, written);
    }

    private delegate bool Build(Span<byte> buffer, out int written);

    private static void AssertBuilt(string golden, Build build)
    {
        var buffer = new byte[IpsetMessages.MaxMessageSize];
        Array.Fill(buffer, (byte)0xee);

        Assert.True(build(buffer, out int written));

        Assert.Equal(Hex.Format(Hex.Parse(golden)), Hex.Format(buffer.AsSpan(0, written)));
    }
}
