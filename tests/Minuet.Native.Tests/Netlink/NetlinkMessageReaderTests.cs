using Minuet.Native.Interop;
using Minuet.Native.Netlink;
using Minuet.Native.Tests.Support;

namespace Minuet.Native.Tests.Netlink;

public class NetlinkMessageReaderTests
{
    // Two NLM_F_MULTI parts of a ctnetlink dump (type 0x0100) then NLMSG_DONE, all with sequence 7 — laid out
    // by hand from struct nlmsghdr / nfgenmsg / nlattr.
    private static readonly byte[] MultipartDump = Hex.Parse(
        "1c 00 00 00 00 01 02 00 07 00 00 00 99 00 00 00 02 00 00 00 08 00 0c 00 00 00 00 01" +
        "1c 00 00 00 00 01 02 00 07 00 00 00 99 00 00 00 02 00 00 00 08 00 0c 00 00 00 00 02" +
        "14 00 00 00 03 00 02 00 07 00 00 00 99 00 00 00 00 00 00 00");

    [Fact]
    public void TryRead_MultipartDump_YieldsEachPartThenDone()
    {
        var reader = new NetlinkMessageReader(MultipartDump);
        var ids = new List<uint>();
        bool done = false;
        while (reader.TryRead(out var message))
        {
            if (message.IsDone)
            {
                done = true;
                continue;
            }

            Assert.True(message.IsMultipart);
            var attributes = message.NfnetlinkAttributes;
            Assert.True(attributes.TryRead(out var id));
            Assert.Equal(12, id.Type);
            Assert.True(id.TryGetU32BigEndian(out uint value));
            ids.Add(value);
        }

        Assert.True(done);
        Assert.Equal(NetlinkReadError.None, reader.Error);
        Assert.Equal([1u, 2u], ids);
    }

    [Theory]
    [InlineData("00 00 00 00", Errno.None)]
    [InlineData("ef ff ff ff", Errno.EEXIST)]
    [InlineData("fe ff ff ff", Errno.ENOENT)]
    public void TryGetError_ErrorMessage_ReturnsErrnoOrAck(string code, Errno expected)
    {
        // NLMSG_ERROR: header, int error, then the request's header echoed back.
        var bytes = Hex.Parse("24 00 00 00 02 00 00 01 05 00 00 00 10 00 00 00" + code +
                              "14 00 00 00 00 01 05 06 05 00 00 00 00 00 00 00");

        var reader = new NetlinkMessageReader(bytes);
        Assert.True(reader.TryRead(out var message));
        Assert.True(message.IsError);
        Assert.True(message.TryGetError(out var errno));
        Assert.Equal(expected, errno);
        Assert.Equal(5u, message.Sequence);
    }

    [Fact]
    public void TryGetError_PayloadShorterThanErrorCode_ReturnsFalse()
    {
        var bytes = Hex.Parse("12 00 00 00 02 00 00 00 05 00 00 00 10 00 00 00 ef ff");

        var reader = new NetlinkMessageReader(bytes);
        Assert.True(reader.TryRead(out var message));
        Assert.False(message.TryGetError(out _));
    }

    [Fact]
    public void TryRead_EveryTruncation_StopsWithErrorAndNeverThrows()
    {
        for (int length = 1; length < MultipartDump.Length; length++)
        {
            var reader = new NetlinkMessageReader(MultipartDump.AsSpan(0, length));
            int count = 0;
            while (reader.TryRead(out var message))
            {
                count++;
                var attributes = message.NfnetlinkAttributes;
                while (attributes.TryRead(out _))
                {
                }
            }

            bool cleanBoundary = length == 28 || length == 56;
            Assert.Equal(cleanBoundary ? NetlinkReadError.None : NetlinkReadError.Truncated, reader.Error);
            Assert.Equal(length / 28, count);
        }
    }

    [Fact]
    public void TryRead_LengthSmallerThanHeader_ReportsLengthTooSmall()
    {
        var bytes = Hex.Parse("08 00 00 00 00 01 00 00 01 00 00 00 00 00 00 00 00 00 00 00");

        var reader = new NetlinkMessageReader(bytes);

        Assert.False(reader.TryRead(out _));
        Assert.Equal(NetlinkReadError.LengthTooSmall, reader.Error);
    }

    [Fact]
    public void TryRead_LengthPastEnd_ReportsTruncated()
    {
        var bytes = Hex.Parse("40 00 00 00 00 01 00 00 01 00 00 00 00 00 00 00 00 00 00 00");

        var reader = new NetlinkMessageReader(bytes);

        Assert.False(reader.TryRead(out _));
        Assert.Equal(NetlinkReadError.Truncated, reader.Error);
    }

    [Fact]
    public void NfnetlinkAttributes_PayloadShorterThanNfgenmsg_IsEmpty()
    {
        var bytes = Hex.Parse("12 00 00 00 00 01 00 00 01 00 00 00 00 00 00 00 02 00");

        var reader = new NetlinkMessageReader(bytes);
        Assert.True(reader.TryRead(out var message));

        Assert.False(message.TryGetNfgenmsg(out _, out _));
        var attributes = message.NfnetlinkAttributes;
        Assert.False(attributes.TryRead(out _));
    }
}
