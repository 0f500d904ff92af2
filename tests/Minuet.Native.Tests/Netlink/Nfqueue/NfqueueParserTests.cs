using Minuet.Native.Netlink;
using Minuet.Native.Netlink.Nfqueue;
using Minuet.Native.Tests.Support;

namespace Minuet.Native.Tests.Netlink.Nfqueue;

public class NfqueueParserTests
{
    // NFQNL_MSG_PACKET laid out by hand: queue 50, packet id 7, hw 0x0800, hook LOCAL_OUT (3), outdev 2,
    // payload = IPv4 198.18.0.1 -> 198.19.0.10, TCP 40000 -> 80 SYN (40 bytes), cap len 60.
    private const string PacketMessage = """
        5c 00 00 00 00 03 00 00 00 00 00 00 00 00 00 00 02 00 00 32
        0b 00 01 00 00 00 00 07 08 00 03 00
        08 00 06 00 00 00 00 02
        2c 00 0a 00
        45 00 00 3c 12 34 40 00 40 06 00 00 c6 12 00 01 c6 13 00 0a
        9c 40 00 50 00 00 00 01 00 00 00 00 50 02 fa f0 00 00 00 00
        08 00 0d 00 00 00 00 3c
        """;

    [Fact]
    public void TryParse_QueuedSyn_ReadsIdHookDevicesAndPayload()
    {
        var reader = new NetlinkMessageReader(Hex.Parse(PacketMessage));
        Assert.True(reader.TryRead(out var message));

        Assert.Equal(NfqueueParseError.None, NfqueueParser.TryParse(message, out var packet));

        Assert.Equal(50, packet.Queue);
        Assert.Equal(7u, packet.PacketId);
        Assert.Equal(0x0800, packet.HardwareProtocol);
        Assert.Equal(3, packet.Hook);
        Assert.Equal(2u, packet.OutDevice);
        Assert.Equal(60u, packet.CapturedLength);
        Assert.Equal(40, packet.Payload.Length);
        Assert.Equal(PacketParseError.None, PacketHeaders.TryParseIpv4(packet.Payload, out var flow));
        Assert.Equal(new PacketFlow(0xc6120001, 0xc613000a, 40000, 80, 6, PacketFlow.Syn), flow);
        Assert.True(flow.IsInitialSyn);
    }

    [Fact]
    public void TryParse_EveryTruncatedBody_ReturnsReasonAndNeverThrows()
    {
        var bytes = Hex.Parse(PacketMessage);
        for (int cut = 16; cut < bytes.Length; cut++)
        {
            var copy = bytes[..cut];
            BitConverter.TryWriteBytes(copy.AsSpan(0, 4), cut);
            var reader = new NetlinkMessageReader(copy);
            Assert.True(reader.TryRead(out var message));

            var error = NfqueueParser.TryParse(message, out var packet);

            if (error == NfqueueParseError.None)
            {
                Assert.Equal(7u, packet.PacketId);
                PacketHeaders.TryParseIpv4(packet.Payload, out _);
            }
        }
    }

    [Fact]
    public void TryParse_NoPacketHeader_IsMissingPacketHeader()
    {
        var reader = new NetlinkMessageReader(Hex.Parse("1c 00 00 00 00 03 00 00 00 00 00 00 00 00 00 00 02 00 00 32 08 00 06 00 00 00 00 02"));
        Assert.True(reader.TryRead(out var message));

        Assert.Equal(NfqueueParseError.MissingPacketHeader, NfqueueParser.TryParse(message, out _));
    }

    [Fact]
    public void TryParse_ErrorMessage_IsNotAPacket()
    {
        var reader = new NetlinkMessageReader(Hex.Parse("24 00 00 00 02 00 00 01 05 00 00 00 10 00 00 00 fe ff ff ff 20 00 00 00 01 03 01 00 05 00 00 00 00 00 00 00"));
        Assert.True(reader.TryRead(out var message));

        Assert.Equal(NfqueueParseError.NotAPacket, NfqueueParser.TryParse(message, out _));
    }
}
