using Minuet.DataPlane.Dns.Records;

namespace Minuet.DataPlane.Tests.Dns.Records;

/// <summary>Cases from Mesos-DNS records/labels/labels_test.go.</summary>
public class DnsLabelsTests
{
    public static TheoryData<string, string> CommonCases => new()
    {
        { "", "" },
        { "a", "a" },
        { "-", "" },
        { "a---", "a" },
        { "---a---", "a" },
        { "---a---b", "a---b" },
        { "a.b.c.d.e", "a-b-c-d-e" },
        { "a.c.d_de.", "a-c-d-de" },
        { "abc123", "abc123" },
        { "-abc123", "abc123" },
        { "abc123-", "abc123" },
        { "abc-123", "abc-123" },
        { "abc--123", "abc--123" },
        { "r29f.dev.angrypigs", "r29f-dev-angrypigs" },
        { "hello----------------------------------------------------------f", "hellof" },
    };

    [Theory]
    [MemberData(nameof(CommonCases))]
    [InlineData("4abc123", "4abc123")]
    [InlineData("-4abc123", "4abc123")]
    [InlineData("89fdgsf---gs7-fgs--d7fddg-123", "89fdgsf---gs7-fgs--d7fddg-123")]
    [InlineData("89fdgsf---gs7-fgs--d7fddg---123", "89fdgsf---gs7-fgs--d7fddg---123")]
    [InlineData("89fdgsf---gs7-fgs--d7fddg-", "89fdgsf---gs7-fgs--d7fddg")]
    [InlineData("fd%gsf---gs7-f$gs--d7fddg-123", "fdgsf---gs7-fgs--d7fddg-123")]
    [InlineData("fd%gsf---gs7-f$gs--d7fddg123456789012345678901234567890123456789-123", "fdgsf---gs7-fgs--d7fddg1234567890123456789012345678901234567891")]
    [InlineData("$$fdgsf---gs7-fgs--d7fddg123456789012345678901234567890123456789-123", "fdgsf---gs7-fgs--d7fddg1234567890123456789012345678901234567891")]
    [InlineData("%%fdgsf---gs7-fgs--d7fddg123456789012345678901234567890123456789---123", "fdgsf---gs7-fgs--d7fddg1234567890123456789012345678901234567891")]
    [InlineData("##fdgsf---gs7-fgs--d7fddg123456789012345678901234567890123456789-", "fdgsf---gs7-fgs--d7fddg123456789012345678901234567890123456789")]
    [InlineData("hello--------------------------------------------------------f", "hello--------------------------------------------------------f")]
    public void Sanitize_Rfc1123_MatchesMesosDns(string name, string expected)
    {
        Assert.Equal(expected, DnsLabels.Sanitize(name, DnsLabelSpec.Rfc1123));
    }

    [Theory]
    [MemberData(nameof(CommonCases))]
    [InlineData("4abc123", "abc123")]
    [InlineData("-4abc123", "abc123")]
    [InlineData("fd%gsf---gs7-f$gs--d7fddg-123", "fdgsf---gs7-fgs--d7fddg1")]
    [InlineData("89fdgsf---gs7-fgs--d7fddg-123", "fdgsf---gs7-fgs--d7fddg1")]
    [InlineData("89fdgsf---gs7-fgs--d7fddg---123", "fdgsf---gs7-fgs--d7fddg1")]
    [InlineData("89fdgsf---gs7-fgs--d7fddg-", "fdgsf---gs7-fgs--d7fddg")]
    [InlineData("chronos with a space AND MIXED CASE-2.0.1", "chronoswithaspaceandmixe")]
    [InlineData("chronos with a space AND----------MIXED--", "chronoswithaspaceandmixe")]
    [InlineData("hello--------------------------------------------------------f", "hellof")]
    public void Sanitize_Rfc952_MatchesMesosDns(string name, string expected)
    {
        Assert.Equal(expected, DnsLabels.Sanitize(name, DnsLabelSpec.Rfc952));
    }

    [Theory]
    [InlineData("", "")]
    [InlineData("...", "")]
    [InlineData("abc.", "abc")]
    [InlineData(".a.c", "a.c")]
    [InlineData("a..c.e", "a.c.e")]
    [InlineData("space space.com", "spacespace.com")]
    [InlineData("not$1234.com", "not1234.com")]
    [InlineData("(@ host . com", "host.com")]
    [InlineData("MiXeDcase.CoM", "mixedcase.com")]
    [InlineData("pod_123$abc.marathon-0.6.0-dev.mesos", "pod-123abc.marathon-0.6.0-dev.mesos")]
    public void DomainFragment_Rfc1123_MatchesMesosDns(string name, string expected)
    {
        Assert.Equal(expected, DnsLabels.DomainFragment(name, DnsLabelSpec.Rfc1123));
    }

    [Fact]
    public void DomainFragment_Rfc952_StripsLeadingDigitsPerLabel()
    {
        Assert.Equal("pod-123abc.marathon-0.dev.mesos", DnsLabels.DomainFragment("pod_123$abc.marathon-0.6.0-dev.mesos", DnsLabelSpec.Rfc952));
    }

    [Fact]
    public void Sanitize_RandomInput_KeepsCharsetAndLengthInvariants()
    {
        var random = new Random(34553613);
        for (int i = 0; i < 20_000; i++)
        {
            var chars = new char[random.Next(0, 90)];
            for (int j = 0; j < chars.Length; j++)
            {
                chars[j] = (char)random.Next(32, 300);
            }

            var name = new string(chars);
            var rfc1123 = DnsLabels.Sanitize(name, DnsLabelSpec.Rfc1123);
            var rfc952 = DnsLabels.Sanitize(name, DnsLabelSpec.Rfc952);
            Assert.True(rfc1123.Length <= 63 && !rfc1123.StartsWith('-') && rfc1123.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'), rfc1123);
            Assert.True(rfc952.Length <= 24 && (rfc952.Length == 0 || char.IsAsciiLetterLower(rfc952[0])), rfc952);
        }
    }
}
