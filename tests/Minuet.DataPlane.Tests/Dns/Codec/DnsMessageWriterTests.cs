using Minuet.DataPlane.Dns.Codec;

namespace Minuet.DataPlane.Tests.Dns.Codec;

public class DnsMessageWriterTests
{
    [Fact]
    public void WriteName_RepeatedSuffix_IsCompressedAndReadsBack()
    {
        var buffer = new byte[512];
        var writer = new DnsMessageWriter(buffer, new ushort[64]);
        writer.WriteHeader(new DnsHeader(1, 0, 1, 0, 0, 0));
        writer.WriteName(DnsName.Encode("web.marathon.mesos"));
        int second = writer.Length;
        writer.WriteName(DnsName.Encode("db.marathon.mesos"));
        int third = writer.Length;
        writer.WriteName(DnsName.Encode("WEB.marathon.mesos"));

        // "db" + pointer to "marathon.mesos" inside the first name.
        Assert.Equal(3 + 2, third - second);
        Assert.Equal(2, writer.Length - third);
        Assert.Equal(0xC0, buffer[third]);
        Assert.Equal(12, buffer[third + 1]);

        var dest = new byte[256];
        int offset = second;
        Assert.Equal(DnsReadStatus.Done, DnsName.TryRead(buffer.AsSpan(0, writer.Length), ref offset, dest, out int len, out _));
        Assert.Equal("db.marathon.mesos.", DnsName.ToText(dest.AsSpan(0, len)));
        offset = third;
        Assert.Equal(DnsReadStatus.Done, DnsName.TryRead(buffer.AsSpan(0, writer.Length), ref offset, dest, out len, out _));
        Assert.Equal("web.marathon.mesos.", DnsName.ToText(dest.AsSpan(0, len)));
    }

    [Fact]
    public void WriteName_CompressOff_WritesFullNameButOffersItAsTarget()
    {
        var buffer = new byte[512];
        var writer = new DnsMessageWriter(buffer, new ushort[64]);
        writer.WriteName(DnsName.Encode("a.mesos"));
        int start = writer.Length;
        writer.WriteName(DnsName.Encode("b.mesos"), compress: false);
        Assert.Equal(9, writer.Length - start);
        int third = writer.Length;
        writer.WriteName(DnsName.Encode("b.mesos"));
        Assert.Equal(2, writer.Length - third);
    }

    [Fact]
    public void Write_PastCapacity_SetsOverflowedWithoutThrowing()
    {
        var buffer = new byte[20];
        var writer = new DnsMessageWriter(buffer, new ushort[8]);
        writer.WriteHeader(new DnsHeader(1, 0, 0, 0, 0, 0));
        writer.WriteName(DnsName.Encode("web.marathon.mesos"));
        Assert.True(writer.Overflowed);
        Assert.True(writer.Length <= 20);
    }

    [Fact]
    public void Query_RoundTripsThroughReader()
    {
        var query = DnsTestMessages.Query("Web.Marathon.Mesos", DnsRecordType.Srv, id: 0xBEEF, ednsSize: 1232);
        var name = new byte[256];
        Assert.Equal(DnsReadStatus.Done, DnsQueryReader.TryRead(query, name, out var q, out bool header, out _));
        Assert.True(header);
        Assert.Equal(0xBEEF, q.Header.Id);
        Assert.Equal(DnsRecordType.Srv, q.Type);
        Assert.True(q.HasEdns);
        Assert.Equal(1232, q.Edns.UdpPayloadSize);
        Assert.Equal("Web.Marathon.Mesos.", DnsName.ToText(name.AsSpan(0, q.NameLength)));
    }
}
