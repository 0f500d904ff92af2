using Minuet.Native.Netlink;
using Minuet.Native.Netlink.Ipset;
using Minuet.Native.Tests.Support;

namespace Minuet.Native.Tests.Netlink.Ipset;

/// <summary>Kernel answers captured with `strace -e read=3 ipset ...` (kernel 6.18).</summary>
public class IpsetRepliesTests
{
    private const string ListReply = """
        b4 00 00 00 07 06 02 00 9a 3d 02 6b d3 32 00 00 02 00 00 00 05 00 01 00 07 00 00 00 09 00 02 00
        6d 74 2d 62 00 00 00 00 11 00 03 00 68 61 73 68 3a 69 70 2c 70 6f 72 74 00 00 00 00 05 00 05 00
        02 00 00 00 05 00 04 00 07 00 00 00 06 00 0b 40 00 01 00 00 3c 00 07 80 08 00 12 40 00 00 04 00
        08 00 13 40 00 01 00 00 05 00 15 00 0c 00 00 00 08 00 11 40 f9 0c cb 13 08 00 19 40 00 00 00 00
        08 00 1a 40 00 00 01 08 08 00 18 40 00 00 00 01 24 00 08 80 20 00 07 80 0c 00 01 80 08 00 01 00
        c6 12 00 0a 06 00 04 40 00 50 00 00 05 00 07 00 06 00 00 00
        """;

    [Fact]
    public void TryParseListMembers_KernelListReply_ReturnsTheMember()
    {
        var reader = new NetlinkMessageReader(Hex.Parse(ListReply));
        Assert.True(reader.TryRead(out var message));
        var members = new List<IpsetEntry>();

        Assert.True(IpsetReplies.TryParseListMembers(message, members));

        Assert.Equal([new IpsetEntry(0xc612000a, 80, IpsetEntry.Tcp)], members);
    }

    [Fact]
    public void TryParseListMembers_EveryTruncatedAttributeRun_NeverThrows()
    {
        var bytes = Hex.Parse(ListReply);
        for (int cut = 20; cut < bytes.Length; cut++)
        {
            // Shrink the message length with the cut so the reader sees a well-framed but short body.
            var copy = bytes[..cut];
            BitConverter.TryWriteBytes(copy.AsSpan(0, 4), cut);
            var reader = new NetlinkMessageReader(copy);
            Assert.True(reader.TryRead(out var message));
            var members = new List<IpsetEntry>();

            bool ok = IpsetReplies.TryParseListMembers(message, members);

            Assert.True(members.Count <= 1);
            if (ok && members.Count == 1)
            {
                Assert.Equal(0xc612000au, members[0].Address);
            }
        }
    }

    [Fact]
    public void TryParseProtocol_KernelReply_ReadsVersionAndMinimum()
    {
        var reader = new NetlinkMessageReader(Hex.Parse(
            "24 00 00 00 01 06 00 00 99 3d 02 6b 8f 32 00 00 02 00 00 00 05 00 01 00 07 00 00 00 05 00 0a 00 06 00 00 00"));
        Assert.True(reader.TryRead(out var message));

        Assert.True(IpsetReplies.TryParseProtocol(message, out byte protocol, out byte minimum));
        Assert.Equal(7, protocol);
        Assert.Equal(6, minimum);
    }

    [Fact]
    public void TryParseType_KernelReply_ReadsRevisions()
    {
        var reader = new NetlinkMessageReader(Hex.Parse("""
            4c 00 00 00 0c 06 00 00 9a 3d 02 6b 8f 32 00 00 02 00 00 00 05 00 01 00 07 00 00 00 09 00 02 00
            6d 74 2d 61 00 00 00 00 11 00 03 00 68 61 73 68 3a 69 70 2c 70 6f 72 74 00 00 00 00 05 00 05 00
            02 00 00 00 05 00 04 00 07 00 00 00
            """));
        Assert.True(reader.TryRead(out var message));

        Assert.True(IpsetReplies.TryParseType(message, out byte revision, out _));
        Assert.Equal(7, revision);
    }
}
