using Minuet.DataPlane.Dns.Codec;

namespace Minuet.DataPlane.Tests.Dns.Codec;

public class DnsNameTests
{
    private static DnsReadStatus Read(byte[] message, int offset, out string text, out DnsMalformedReason reason)
    {
        var dest = new byte[256];
        var status = DnsName.TryRead(message, ref offset, dest, out int len, out reason);
        text = status == DnsReadStatus.Done ? DnsName.ToText(dest.AsSpan(0, len)) : "";
        return status;
    }

    [Fact]
    public void TryRead_BackwardPointer_FollowsIt()
    {
        // "mesos." at 0, then "web" + pointer to 0 at 7.
        byte[] msg = [5, (byte)'m', (byte)'e', (byte)'s', (byte)'o', (byte)'s', 0, 3, (byte)'w', (byte)'e', (byte)'b', 0xC0, 0];
        int offset = 7;
        var dest = new byte[256];
        Assert.Equal(DnsReadStatus.Done, DnsName.TryRead(msg, ref offset, dest, out int len, out _));
        Assert.Equal("web.mesos.", DnsName.ToText(dest.AsSpan(0, len)));
        Assert.Equal(msg.Length, offset);
    }

    [Fact]
    public void TryRead_PointerToItself_IsMalformed()
    {
        byte[] msg = [0xC0, 0];
        Assert.Equal(DnsReadStatus.Malformed, Read(msg, 0, out _, out var reason));
        Assert.Equal(DnsMalformedReason.BadPointer, reason);
    }

    [Fact]
    public void TryRead_LoopThroughEarlierLabel_IsMalformed()
    {
        // label "a" at 2, pointer at 4 back to 2: reading from 2 would cycle forever without the lowest-offset rule.
        byte[] msg = [0, 0, 1, (byte)'a', 0xC0, 2];
        Assert.Equal(DnsReadStatus.Malformed, Read(msg, 2, out _, out var reason));
        Assert.Equal(DnsMalformedReason.BadPointer, reason);
    }

    [Fact]
    public void TryRead_TwoPointerCycle_IsMalformed()
    {
        byte[] msg = [0xC0, 2, 0xC0, 0];
        Assert.Equal(DnsReadStatus.Malformed, Read(msg, 2, out _, out _));
    }

    [Fact]
    public void TryRead_ForwardPointer_IsMalformed()
    {
        byte[] msg = [0xC0, 2, 0];
        Assert.Equal(DnsReadStatus.Malformed, Read(msg, 0, out _, out var reason));
        Assert.Equal(DnsMalformedReason.BadPointer, reason);
    }

    [Theory]
    [InlineData(0x40)]
    [InlineData(0x80)]
    public void TryRead_ReservedLabelType_IsMalformed(byte type)
    {
        byte[] msg = [type, 0];
        Assert.Equal(DnsReadStatus.Malformed, Read(msg, 0, out _, out var reason));
        Assert.Equal(DnsMalformedReason.BadLabelType, reason);
    }

    [Fact]
    public void TryRead_NameOver255Bytes_IsMalformed()
    {
        var msg = new List<byte>();
        for (int i = 0; i < 5; i++)
        {
            msg.Add(63);
            msg.AddRange(Enumerable.Repeat((byte)'a', 63));
        }

        msg.Add(0);
        Assert.Equal(DnsReadStatus.Malformed, Read([.. msg], 0, out _, out var reason));
        Assert.Equal(DnsMalformedReason.NameTooLong, reason);
    }

    [Fact]
    public void TryRead_CutInPlace_IsIncomplete_ButCutAfterPointer_IsMalformed()
    {
        byte[] inPlace = [3, (byte)'w', (byte)'e'];
        Assert.Equal(DnsReadStatus.Incomplete, Read(inPlace, 0, out _, out _));

        byte[] viaPointer = [5, (byte)'w', (byte)'e', 0xC0, 0];
        Assert.Equal(DnsReadStatus.Malformed, Read(viaPointer, 3, out _, out var reason));
        Assert.Equal(DnsMalformedReason.PointerOutOfRange, reason);
    }

    [Theory]
    [InlineData("web.marathon.mesos", "web.marathon.mesos.")]
    [InlineData("Web.Marathon.MESOS.", "web.marathon.mesos.")]
    [InlineData("", ".")]
    public void Encode_LowerCasesAndRoundTrips(string input, string expected)
    {
        Assert.Equal(expected, DnsName.ToText(DnsName.Encode(input)));
    }

    [Theory]
    [InlineData("a..b")]
    [InlineData("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.mesos")]
    public void TryEncode_InvalidName_ReturnsFalse(string input)
    {
        Assert.False(DnsName.TryEncode(input, new byte[256], out _));
    }

    [Fact]
    public void HashAndEquals_IgnoreCase()
    {
        var a = DnsTestMessages.EncodePreservingCase("WeB.MaRaThOn.MeSoS");
        var b = DnsName.Encode("web.marathon.mesos");
        Assert.True(DnsName.EqualsIgnoreCase(a, b));
        Assert.Equal(DnsName.HashIgnoreCase(a), DnsName.HashIgnoreCase(b));
        Assert.False(DnsName.EqualsIgnoreCase(a, DnsName.Encode("wec.marathon.mesos")));
    }

    [Fact]
    public void SuffixOffset_FindsZoneOnLabelBoundaryOnly()
    {
        var name = DnsName.Encode("web.marathon.mesos");
        Assert.Equal(13, DnsName.SuffixOffset(name, DnsName.Encode("mesos")));
        Assert.Equal(-1, DnsName.SuffixOffset(DnsName.Encode("webmesos"), DnsName.Encode("mesos")));
        Assert.Equal(0, DnsName.SuffixOffset(name, name));
    }
}
