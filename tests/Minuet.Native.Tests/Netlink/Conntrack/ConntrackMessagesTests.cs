using Minuet.Native.Netlink.Conntrack;
using Minuet.Native.Tests.Support;

namespace Minuet.Native.Tests.Netlink.Conntrack;

/// <summary>
/// Golden bytes from conntrack-tools 1.4.7 captured with `strace -e trace=sendto -e write=3`:
/// `conntrack -I -p tcp -s 198.18.0.1 -d 198.19.0.10 --sport 40000 --dport 80 --dst-nat 198.18.1.2:8080
/// --state SYN_SENT -t 60` and `conntrack -G` of the same tuple. Differences from the capture are marked.
/// </summary>
public class ConntrackMessagesTests
{
    private static readonly ConntrackTuple ClientToVip = new(0xc6120001, 0xc613000a, 40000, 80);

    [Fact]
    public void TryBuildCreateNat_Dnat_MatchesConntrackToolCreate()
    {
        // Two padding bytes the tool leaves uninitialised (0x10 after the reply tuple's protocol number and 0x72
        // after the TCP state) are zero here, as the kernel ignores padding and our writer zeroes it.
        const string Golden = """
            c4 00 00 00 00 01 05 06 d8 3c 02 6b 00 00 00 00 02 00 00 00 34 00 01 80 14 00 01 80 08 00 01 00
            c6 12 00 01 08 00 02 00 c6 13 00 0a 1c 00 02 80 05 00 01 00 06 00 00 00 06 00 02 00 9c 40 00 00
            06 00 03 00 00 50 00 00 34 00 02 80 14 00 01 80 08 00 01 00 c6 13 00 0a 08 00 02 00 c6 12 00 01
            1c 00 02 80 05 00 01 00 06 00 00 00 06 00 02 00 00 50 00 00 06 00 03 00 9c 40 00 00 08 00 07 00
            00 00 00 3c 20 00 04 80 1c 00 01 80 05 00 01 00 01 00 00 00 06 00 04 00 0a 0a 00 00 06 00 05 00
            0a 0a 00 00 20 00 0d 80 08 00 01 00 c6 12 01 02 14 00 03 80 06 00 01 00 1f 90 00 00 06 00 02 00
            1f 90 00 00
            """;
        var entry = ConntrackNatEntry.Dnat(ClientToVip, backendAddress: 0xc6120102, backendPort: 8080, timeoutSeconds: 60);
        var buffer = Dirty(ConntrackMessages.MaxMessageSize);

        Assert.True(ConntrackMessages.TryBuildCreateNat(buffer, 0x6b023cd8, entry, out int written));

        Assert.Equal(Hex.Format(Hex.Parse(Golden)), Hex.Format(buffer.AsSpan(0, written)));
    }

    [Fact]
    public void TryBuildCreateNat_UdpDnat_MatchesConntrackToolUdpCreate()
    {
        // `conntrack -I -p udp -s 198.18.0.1 -d 198.19.0.10 --sport 40000 --dport 53 --dst-nat 198.18.1.2:5353
        // -t 30`: protocol 17 in both tuples and no CTA_PROTOINFO. The tool's uninitialised padding byte (0x10
        // after the reply tuple's protocol number) is zero here.
        const string Golden = """
            a4 00 00 00 00 01 05 06 04 ca 16 6b 00 00 00 00 02 00 00 00 34 00 01 80 14 00 01 80 08 00 01 00
            c6 12 00 01 08 00 02 00 c6 13 00 0a 1c 00 02 80 05 00 01 00 11 00 00 00 06 00 02 00 9c 40 00 00
            06 00 03 00 00 35 00 00 34 00 02 80 14 00 01 80 08 00 01 00 c6 13 00 0a 08 00 02 00 c6 12 00 01
            1c 00 02 80 05 00 01 00 11 00 00 00 06 00 02 00 00 35 00 00 06 00 03 00 9c 40 00 00 08 00 07 00
            00 00 00 1e 20 00 0d 80 08 00 01 00 c6 12 01 02 14 00 03 80 06 00 01 00 14 e9 00 00 06 00 02 00
            14 e9 00 00
            """;
        var clientToUdpVip = new ConntrackTuple(0xc6120001, 0xc613000a, 40000, 53, ConntrackTuple.Udp);
        var entry = ConntrackNatEntry.Dnat(clientToUdpVip, backendAddress: 0xc6120102, backendPort: 5353, timeoutSeconds: 30);
        var buffer = Dirty(ConntrackMessages.MaxMessageSize);

        Assert.True(ConntrackMessages.TryBuildCreateNat(buffer, 0x6b16ca04, entry, out int written));

        Assert.Equal(Hex.Format(Hex.Parse(Golden)), Hex.Format(buffer.AsSpan(0, written)));
    }

    [Fact]
    public void TryBuildCreateNat_WithSourceNat_MatchesConntrackToolCreateWithSrcNat()
    {
        // `conntrack -I ... --src-nat 198.18.0.3 --dst-nat 198.18.1.2:8080`, the tool's two uninitialised padding
        // bytes zeroed as above.
        const string Golden = """
            d0 00 00 00 00 01 05 06 a7 41 02 6b 00 00 00 00 02 00 00 00 34 00 01 80 14 00 01 80 08 00 01 00
            c6 12 00 01 08 00 02 00 c6 13 00 0a 1c 00 02 80 05 00 01 00 06 00 00 00 06 00 02 00 9c 40 00 00
            06 00 03 00 00 50 00 00 34 00 02 80 14 00 01 80 08 00 01 00 c6 13 00 0a 08 00 02 00 c6 12 00 01
            1c 00 02 80 05 00 01 00 06 00 00 00 06 00 02 00 00 50 00 00 06 00 03 00 9c 40 00 00 08 00 07 00
            00 00 00 3c 20 00 04 80 1c 00 01 80 05 00 01 00 01 00 00 00 06 00 04 00 0a 0a 00 00 06 00 05 00
            0a 0a 00 00 0c 00 06 80 08 00 01 00 c6 12 00 03 20 00 0d 80 08 00 01 00 c6 12 01 02 14 00 03 80
            06 00 01 00 1f 90 00 00 06 00 02 00 1f 90 00 00
            """;
        var entry = ConntrackNatEntry.Dnat(ClientToVip, 0xc6120102, 8080, 60) with { SourceNatAddress = 0xc6120003 };
        var buffer = Dirty(ConntrackMessages.MaxMessageSize);

        Assert.True(ConntrackMessages.TryBuildCreateNat(buffer, 0x6b0241a7, entry, out int written));

        Assert.Equal(Hex.Format(Hex.Parse(Golden)), Hex.Format(buffer.AsSpan(0, written)));
    }

    [Fact]
    public void TryBuildGet_ByOriginalTuple_MatchesConntrackToolGetWithoutItsProtoinfo()
    {
        // The tool also appends a CTA_PROTOINFO with window flags to GET, which the kernel ignores; it is left
        // out here, so nlmsg_len is 0x48 instead of the captured 0x60.
        const string Golden = """
            48 00 00 00 01 01 05 00 e4 3c 02 6b 00 00 00 00 02 00 00 00 34 00 01 80 14 00 01 80 08 00 01 00
            c6 12 00 01 08 00 02 00 c6 13 00 0a 1c 00 02 80 05 00 01 00 06 00 00 00 06 00 02 00 9c 40 00 00
            06 00 03 00 00 50 00 00
            """;
        var buffer = Dirty(ConntrackMessages.MaxMessageSize);

        Assert.True(ConntrackMessages.TryBuildGet(buffer, 0x6b023ce4, ClientToVip, out int written));

        Assert.Equal(Hex.Format(Hex.Parse(Golden)), Hex.Format(buffer.AsSpan(0, written)));
    }

    [Fact]
    public void TryBuildDelete_ByReplyTuple_UsesCtaTupleReply()
    {
        // Hand-derived: IPCTNL_MSG_CT_DELETE (0x0102), REQUEST|ACK, nfgenmsg AF_INET, CTA_TUPLE_REPLY (0x8002) nest.
        const string Golden = """
            48 00 00 00 02 01 05 00 01 00 00 00 00 00 00 00 02 00 00 00 34 00 02 80 14 00 01 80 08 00 01 00
            c6 12 01 02 08 00 02 00 c6 12 00 01 1c 00 02 80 05 00 01 00 06 00 00 00 06 00 02 00 1f 90 00 00
            06 00 03 00 9c 40 00 00
            """;
        var buffer = Dirty(ConntrackMessages.MaxMessageSize);
        var backendToClient = new ConntrackTuple(0xc6120102, 0xc6120001, 8080, 40000);

        Assert.True(ConntrackMessages.TryBuildDelete(buffer, 1, backendToClient, out int written, byReplyTuple: true));

        Assert.Equal(Hex.Format(Hex.Parse(Golden)), Hex.Format(buffer.AsSpan(0, written)));
    }

    [Fact]
    public void TryBuildCreateNat_DestinationTooSmall_ReturnsFalse()
    {
        var entry = ConntrackNatEntry.Dnat(ClientToVip, 0xc6120102, 8080, 60);

        Assert.False(ConntrackMessages.TryBuildCreateNat(new byte[100], 1, entry, out int written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void Dnat_ReplyTuple_IsTheUnNatedInverse()
    {
        var entry = ConntrackNatEntry.Dnat(ClientToVip, 0xc6120102, 8080, 60);

        Assert.Equal(new ConntrackTuple(0xc613000a, 0xc6120001, 80, 40000), entry.Reply);
        Assert.Equal(TcpConntrackState.SynSent, entry.TcpState);
    }

    private static byte[] Dirty(int size)
    {
        var buffer = new byte[size];
        Array.Fill(buffer, (byte)0xee);
        return buffer;
    }
}
