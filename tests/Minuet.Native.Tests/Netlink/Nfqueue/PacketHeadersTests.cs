using Minuet.Native.Netlink.Nfqueue;
using Minuet.Native.Tests.Support;

namespace Minuet.Native.Tests.Netlink.Nfqueue;

public class PacketHeadersTests
{
    private const string TcpSyn = "45 00 00 3c 12 34 40 00 40 06 00 00 c6 12 00 01 c6 13 00 0a 9c 40 00 50 00 00 00 01 00 00 00 00 50 02 fa f0 00 00 00 00";

    [Fact]
    public void TryParseIpv4_UdpDatagram_ReadsPortsWithoutFlags()
    {
        var bytes = Hex.Parse("45 00 00 1c 00 00 00 00 40 11 00 00 c6 12 00 01 c6 12 00 02 d4 31 00 35 00 08 00 00");

        Assert.Equal(PacketParseError.None, PacketHeaders.TryParseIpv4(bytes, out var flow));
        Assert.Equal(new PacketFlow(0xc6120001, 0xc6120002, 54321, 53, 17, 0), flow);
        Assert.False(flow.IsInitialSyn);
    }

    [Fact]
    public void TryParseIpv4_HeaderWithOptions_FindsTcpAfterThem()
    {
        // IHL 6: one 4-byte option (NOPs) before the TCP header.
        var bytes = Hex.Parse("46 00 00 40 12 34 40 00 40 06 00 00 c6 12 00 01 c6 13 00 0a 01 01 01 01" +
                              "9c 40 00 50 00 00 00 01 00 00 00 00 50 12 fa f0 00 00 00 00");

        Assert.Equal(PacketParseError.None, PacketHeaders.TryParseIpv4(bytes, out var flow));
        Assert.Equal(40000, flow.SourcePort);
        Assert.Equal(PacketFlow.Syn | PacketFlow.Ack, flow.TcpFlags);
        Assert.False(flow.IsInitialSyn);
    }

    [Theory]
    [InlineData("45 00 00 3c", PacketParseError.TooShort)]
    [InlineData("65 00 00 3c 12 34 40 00 40 06 00 00 c6 12 00 01 c6 13 00 0a", PacketParseError.NotIpv4)]
    [InlineData("44 00 00 3c 12 34 40 00 40 06 00 00 c6 12 00 01 c6 13 00 0a", PacketParseError.BadHeaderLength)]
    [InlineData("4f 00 00 3c 12 34 40 00 40 06 00 00 c6 12 00 01 c6 13 00 0a", PacketParseError.BadHeaderLength)]
    [InlineData("45 00 00 3c 12 34 00 10 40 06 00 00 c6 12 00 01 c6 13 00 0a 00 00", PacketParseError.Fragment)]
    [InlineData("45 00 00 3c 12 34 40 00 40 01 00 00 c6 12 00 01 c6 13 00 0a 08 00", PacketParseError.UnsupportedProtocol)]
    [InlineData("45 00 00 3c 12 34 40 00 40 06 00 00 c6 12 00 01 c6 13 00 0a 9c 40 00 50", PacketParseError.TruncatedTransport)]
    public void TryParseIpv4_BadPacket_ReturnsReason(string dump, PacketParseError expected)
    {
        Assert.Equal(expected, PacketHeaders.TryParseIpv4(Hex.Parse(dump), out _));
    }

    [Fact]
    public void TryParseIpv4_EveryPrefixOfASyn_NeverThrows()
    {
        var bytes = Hex.Parse(TcpSyn);
        for (int length = 0; length <= bytes.Length; length++)
        {
            var error = PacketHeaders.TryParseIpv4(bytes.AsSpan(0, length), out var flow);
            Assert.Equal(length >= 34 ? PacketParseError.None : length < 20 ? PacketParseError.TooShort : PacketParseError.TruncatedTransport, error);
            if (error == PacketParseError.None)
            {
                Assert.True(flow.IsInitialSyn);
            }
        }
    }
}
