using System.Text;
using Minuet.DataPlane.Dns.Records;

namespace Minuet.DataPlane.Tests.Dns.Records;

public class ZBase32Tests
{
    // Vectors from the z-base-32 specification (Zooko O'Whielacronx, "human-oriented base-32 encoding").
    [Theory]
    [InlineData(new byte[] { 0xF0, 0xBF, 0xC7 }, "6n9hq")]
    [InlineData(new byte[] { 0xD4, 0x7A, 0x04 }, "4t7ye")]
    [InlineData(new byte[] { 0x00 }, "yy")]
    [InlineData(new byte[0], "")]
    public void Encode_MatchesSpecificationVectors(byte[] input, string expected)
    {
        Span<byte> output = stackalloc byte[ZBase32.EncodedLength(input.Length)];
        int written = ZBase32.Encode(input, output);
        Assert.Equal(expected, Encoding.ASCII.GetString(output[..written]));
    }

    [Fact]
    public void Encode_OutputTooSmall_Throws()
    {
        var output = new byte[2];
        Assert.Throws<ArgumentException>(() => ZBase32.Encode([1, 2, 3], output));
    }

    [Fact]
    public void TaskHash_IsFiveCharsOfTheZBase32Alphabet_AndStablePerId()
    {
        const string Alphabet = "ybndrfg8ejkmcpqxot1uwisza345h769";
        var a = TaskHash.Compute("web.5b1f4b47-8c7a-11e5-a4ad-0242ac110003");
        var b = TaskHash.Compute("web.5b1f4b47-8c7a-11e5-a4ad-0242ac110003");
        var c = TaskHash.Compute("web.5b1f4b47-8c7a-11e5-a4ad-0242ac110004");
        Assert.Equal(TaskHash.Length, a.Length);
        Assert.All(a, ch => Assert.Contains(ch, Alphabet));
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
    }
}
