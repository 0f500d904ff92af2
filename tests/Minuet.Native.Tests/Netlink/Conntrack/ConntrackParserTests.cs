using Minuet.Native.Netlink;
using Minuet.Native.Netlink.Conntrack;
using Minuet.Native.Tests.Support;

namespace Minuet.Native.Tests.Netlink.Conntrack;

public class ConntrackParserTests
{
    // The kernel's (6.18) answer to `conntrack -G` for the DNAT entry created by `conntrack -I ... --dst-nat
    // 198.18.1.2:8080`, captured with strace -e read=3: the reply tuple is backend -> client.
    private const string KernelGetReply = """
        f0 00 00 00 00 01 02 00 e7 3c 02 6b 8a 26 00 00 02 00 00 00 34 00 01 80 14 00 01 80 08 00 01 00
        c6 12 00 01 08 00 02 00 c6 13 00 0a 1c 00 02 80 05 00 01 00 06 00 00 00 06 00 02 00 9c 40 00 00
        06 00 03 00 00 50 00 00 34 00 02 80 14 00 01 80 08 00 01 00 c6 12 01 02 08 00 02 00 c6 12 00 01
        1c 00 02 80 05 00 01 00 06 00 00 00 06 00 02 00 1f 90 00 00 06 00 03 00 9c 40 00 00 08 00 03 00
        00 00 01 a8 08 00 08 00 00 00 00 00 08 00 0c 00 6e be 2a 9a 08 00 0b 00 00 00 00 02 08 00 07 00
        00 00 00 3b 30 00 04 80 2c 00 01 80 05 00 01 00 01 00 00 00 05 00 02 00 00 00 00 00 05 00 03 00
        00 00 00 00 06 00 04 00 0a 00 00 00 06 00 05 00 0a 00 00 00 1c 00 18 80 08 00 01 00 00 00 00 00
        08 00 02 00 00 00 00 00 08 00 03 00 00 00 00 00
        """;

    [Fact]
    public void TryParse_KernelGetReply_ReadsTuplesStatusStateAndId()
    {
        var reader = new NetlinkMessageReader(Hex.Parse(KernelGetReply));
        Assert.True(reader.TryRead(out var message));

        var error = ConntrackParser.TryParse(message, out var entry, isEvent: false);

        Assert.Equal(ConntrackParseError.None, error);
        Assert.Equal(ConntrackEventType.Entry, entry.EventType);
        Assert.Equal(new ConntrackTuple(0xc6120001, 0xc613000a, 40000, 80), entry.Original);
        Assert.Equal(new ConntrackTuple(0xc6120102, 0xc6120001, 8080, 40000), entry.Reply);
        Assert.Equal(ConntrackStatus.Confirmed | ConntrackStatus.DstNat | ConntrackStatus.SrcNatDone | ConntrackStatus.DstNatDone, entry.Status);
        Assert.Equal(TcpConntrackState.SynSent, entry.TcpState);
        Assert.Equal(0x6ebe2a9au, entry.Id);
        Assert.Equal(59u, entry.TimeoutSeconds);
    }

    [Theory]
    [InlineData(0x0600, ConntrackEventType.New)]
    [InlineData(0x0000, ConntrackEventType.Update)]
    public void TryParse_NewMessageAsEvent_TellsNewFromUpdateByCreateFlags(int flags, ConntrackEventType expected)
    {
        var bytes = Hex.Parse(KernelGetReply);
        bytes[6] = (byte)flags;
        bytes[7] = (byte)(flags >> 8);
        var reader = new NetlinkMessageReader(bytes);
        Assert.True(reader.TryRead(out var message));

        Assert.Equal(ConntrackParseError.None, ConntrackParser.TryParse(message, out var entry));
        Assert.Equal(expected, entry.EventType);
    }

    [Fact]
    public void TryParse_DeleteMessage_IsDestroy()
    {
        var bytes = Hex.Parse(KernelGetReply);
        bytes[4] = 2; // IPCTNL_MSG_CT_DELETE
        var reader = new NetlinkMessageReader(bytes);
        Assert.True(reader.TryRead(out var message));

        Assert.Equal(ConntrackParseError.None, ConntrackParser.TryParse(message, out var entry));
        Assert.Equal(ConntrackEventType.Destroy, entry.EventType);
    }

    [Fact]
    public void TryParse_IpsetMessage_IsNotConntrack()
    {
        var reader = new NetlinkMessageReader(Hex.Parse("1c 00 00 00 01 06 01 00 01 00 00 00 00 00 00 00 02 00 00 00 05 00 01 00 07 00 00 00"));
        Assert.True(reader.TryRead(out var message));

        Assert.Equal(ConntrackParseError.NotConntrack, ConntrackParser.TryParse(message, out _));
    }

    [Fact]
    public void TryParse_EveryTruncatedBody_ReturnsAReasonAndNeverThrows()
    {
        var bytes = Hex.Parse(KernelGetReply);
        for (int cut = 16; cut < bytes.Length; cut++)
        {
            var copy = bytes[..cut];
            BitConverter.TryWriteBytes(copy.AsSpan(0, 4), cut);
            var reader = new NetlinkMessageReader(copy);
            Assert.True(reader.TryRead(out var message));

            var error = ConntrackParser.TryParse(message, out var entry);

            if (error == ConntrackParseError.None)
            {
                Assert.Equal(40000, entry.Original.SourcePort);
            }
            else
            {
                Assert.Contains(error, new[] { ConntrackParseError.MalformedAttribute, ConntrackParseError.MissingOriginalTuple });
            }
        }
    }
}
