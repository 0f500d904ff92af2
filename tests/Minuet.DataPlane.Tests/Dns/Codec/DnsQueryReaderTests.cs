using Minuet.DataPlane.Dns.Codec;

namespace Minuet.DataPlane.Tests.Dns.Codec;

public class DnsQueryReaderTests
{
    public static TheoryData<string> ValidQueries => new() { "plain", "edns" };

    private static byte[] Sample(string kind) => kind == "edns"
        ? DnsTestMessages.Query("web.marathon.mesos", DnsRecordType.A, ednsSize: 4096)
        : DnsTestMessages.Query("web.marathon.mesos", DnsRecordType.A);

    [Theory]
    [MemberData(nameof(ValidQueries))]
    public void TryRead_EveryTruncation_IsIncompleteOrMalformed_NeverThrows(string kind)
    {
        var full = Sample(kind);
        var name = new byte[256];
        Assert.Equal(DnsReadStatus.Done, DnsQueryReader.TryRead(full, name, out _, out _, out _));
        for (int cut = 0; cut < full.Length; cut++)
        {
            var status = DnsQueryReader.TryRead(full.AsSpan(0, cut), name, out _, out bool header, out _);
            Assert.NotEqual(DnsReadStatus.Done, status);
            Assert.Equal(cut >= DnsHeader.Size, header);
        }
    }

    [Fact]
    public void TryRead_TwoQuestions_IsMalformedWithReason()
    {
        var q = DnsTestMessages.Query("a.mesos", DnsRecordType.A);
        q[5] = 2;
        Assert.Equal(DnsReadStatus.Malformed, DnsQueryReader.TryRead(q, new byte[256], out _, out _, out var reason));
        Assert.Equal(DnsMalformedReason.QuestionCount, reason);
    }

    [Fact]
    public void TryRead_TwoOptRecords_IsMalformed()
    {
        var q = DnsTestMessages.Query("a.mesos", DnsRecordType.A, ednsSize: 1232);
        var opt = q.AsSpan(q.Length - DnsEdns.RecordSize).ToArray();
        var doubled = q.Concat(opt).ToArray();
        doubled[11] = 2;
        Assert.Equal(DnsReadStatus.Malformed, DnsQueryReader.TryRead(doubled, new byte[256], out _, out _, out var reason));
        Assert.Equal(DnsMalformedReason.BadOpt, reason);
    }

    [Fact]
    public void TryRead_OptWithNonRootOwner_IsMalformed()
    {
        var q = DnsTestMessages.Query("a.mesos", DnsRecordType.A);
        q[11] = 1;
        byte[] opt = [1, (byte)'x', 0, 0, 41, 16, 0, 0, 0, 0, 0, 0, 0];
        Assert.Equal(DnsReadStatus.Malformed, DnsQueryReader.TryRead(q.Concat(opt).ToArray(), new byte[256], out _, out _, out var reason));
        Assert.Equal(DnsMalformedReason.BadOpt, reason);
    }
}
