using Minuet.DataPlane.L4lb.Kernel;
using Minuet.DataPlane.L4lb.Selection;

namespace Minuet.DataPlane.Tests.L4lb.Kernel;

public class SynParserTests
{
    // 198.18.10.1:40000 -> 198.19.0.10:80, IPv4 header 20 bytes, TCP SYN (ports and the start of the header only).
    private static byte[] Syn() =>
    [
        0x45, 0x00, 0x00, 0x3c, 0x12, 0x34, 0x40, 0x00, 0x40, 0x06, 0x00, 0x00,
        198, 18, 10, 1, 198, 19, 0, 10,
        0x9c, 0x40, 0x00, 0x50, 0, 0, 0, 1, 0, 0, 0, 0, 0xa0, 0x02, 0xff, 0xff,
    ];

    [Fact]
    public void TryParse_Syn_GivesFourTuple()
    {
        Assert.Equal(SynParseError.None, SynParser.TryParse(Syn(), out var flow));
        Assert.Equal(new FlowTuple(0xC6120A01u, 40000, 0xC613000Au, 80), flow);
    }

    [Fact]
    public void TryParse_HeaderWithOptions_FindsPortsAfterOptions()
    {
        var packet = Syn().ToList();
        packet[0] = 0x46;
        packet.InsertRange(20, [1, 1, 1, 0]);

        Assert.Equal(SynParseError.None, SynParser.TryParse(packet.ToArray(), out var flow));
        Assert.Equal(40000, flow.SourcePort);
        Assert.Equal(80, flow.DestinationPort);
    }

    [Fact]
    public void TryParse_EveryTruncation_NeverThrowsAndReportsTooShort()
    {
        var packet = Syn();
        for (int length = 0; length < 24; length++)
        {
            Assert.Equal(SynParseError.TooShort, SynParser.TryParse(packet.AsSpan(0, length), out _));
        }
    }

    [Fact]
    public void TryParse_UdpDatagram_GivesUdpFiveTuple()
    {
        var packet = Syn();
        packet[9] = 17;

        Assert.Equal(SynParseError.None, SynParser.TryParse(packet, out var flow));
        Assert.Equal(new FlowTuple(0xC6120A01u, 40000, 0xC613000Au, 80, FlowTuple.Udp), flow);
        Assert.NotEqual(new FlowTuple(0xC6120A01u, 40000, 0xC613000Au, 80).Hash(), flow.Hash());
    }

    [Fact]
    public void TryParse_Icmp_NotTcp()
    {
        var packet = Syn();
        packet[9] = 1;

        Assert.Equal(SynParseError.NotTcp, SynParser.TryParse(packet, out _));
    }

    [Fact]
    public void TryParse_Ipv6_NotIpv4()
    {
        var packet = Syn();
        packet[0] = 0x60;

        Assert.Equal(SynParseError.NotIpv4, SynParser.TryParse(packet, out _));
    }
}

public class NfqueueProcStatsTests
{
    [Fact]
    public void Sum_OnlyOwnQueues_AddsDropColumns()
    {
        string[] lines =
        [
            "   49  12345     0 2 65535     7     1     99 1",
            "   50  23456     3 2   128    10     2   1000 1",
            "   51  23457     0 2   128     5     4    900 1",
            "   52  23458     0 2   128   100   100    900 1",
        ];

        Assert.Equal((15L, 6L), NfqueueProcStats.Sum(lines, 50, 2));
    }
}
