using Minuet.Native.Netlink;
using Minuet.Native.Tests.Support;

namespace Minuet.Native.Tests.Netlink;

public class NetlinkWriterTests
{
    [Fact]
    public void BuildIpsetProtocol_MatchesBytesTheIpsetToolSends()
    {
        // Captured from `ipset create` with strace -e write=3 (sequence number replaced by 1).
        var golden = Hex.Parse("1c 00 00 00 01 06 01 00 01 00 00 00 00 00 00 00 02 00 00 00 05 00 01 00 07 00 00 00");
        Span<byte> buffer = stackalloc byte[64];
        var writer = new NetlinkWriter(buffer);

        int message = writer.BeginMessage(Nfnetlink.MessageType(Nfnetlink.SubsysIpset, 1), NetlinkFlags.Request, sequence: 1);
        writer.WriteNfgenmsg(family: 2, resourceId: 0);
        writer.PutU8(1, 7);
        writer.EndMessage(message);

        Assert.True(writer.TryComplete(out int written));
        Assert.Equal(Hex.Format(golden), Hex.Format(buffer[..written]));
    }

    [Fact]
    public void EndNested_PatchesLengthAndSetsNestedFlag()
    {
        Span<byte> buffer = stackalloc byte[64];
        var writer = new NetlinkWriter(buffer);

        int nest = writer.BeginNested(7);
        writer.PutU16BigEndian(4, 80);
        writer.PutU8(7, 6);
        writer.EndNested(nest);

        // nest header (len 20, type 0x8007), port be16 80 padded, proto u8 6 padded.
        Assert.Equal(
            "14 00 07 80 06 00 04 00 00 50 00 00 05 00 07 00 06 00 00 00",
            Hex.Format(writer.Written));
    }

    [Fact]
    public void PutValue_OnDirtyBuffer_ZeroesPadding()
    {
        var buffer = Enumerable.Repeat((byte)0xff, 16).ToArray();
        var writer = new NetlinkWriter(buffer);

        writer.PutStringZ(2, "ab");

        Assert.Equal("07 00 02 00 61 62 00 00", Hex.Format(writer.Written));
    }

    [Fact]
    public void TryComplete_WhenBufferTooSmall_ReportsOverflowWithoutThrowing()
    {
        Span<byte> buffer = stackalloc byte[20];
        var writer = new NetlinkWriter(buffer);

        int message = writer.BeginMessage(0x100, NetlinkFlags.Request, 1);
        writer.PutU32BigEndian(1, 42);
        writer.PutStringZ(2, "a-name-that-does-not-fit");
        writer.EndMessage(message);

        Assert.True(writer.Overflowed);
        Assert.False(writer.TryComplete(out int written));
        Assert.Equal(0, written);
    }

    [Fact]
    public void EndMessage_PatchesLengthOfEachMessageInABatch()
    {
        Span<byte> buffer = stackalloc byte[128];
        var writer = new NetlinkWriter(buffer);

        int first = writer.BeginMessage(0x100, NetlinkFlags.Request, 1);
        writer.PutU8(1, 1);
        writer.EndMessage(first);
        int second = writer.BeginMessage(0x100, NetlinkFlags.Request, 2);
        writer.PutU32BigEndian(1, 1);
        writer.PutU32BigEndian(2, 2);
        writer.EndMessage(second);

        var reader = new NetlinkMessageReader(writer.Written);
        Assert.True(reader.TryRead(out var a));
        Assert.Equal(8, a.Payload.Length);
        Assert.True(reader.TryRead(out var b));
        Assert.Equal(16, b.Payload.Length);
        Assert.Equal(2u, b.Sequence);
        Assert.False(reader.TryRead(out _));
        Assert.Equal(NetlinkReadError.None, reader.Error);
    }
}
