using Minuet.DataPlane.Model;
using Minuet.DataPlane.Sources;

namespace Minuet.DataPlane.Tests.Sources;

public class PortRangeParserTests
{
    [Theory]
    [InlineData("", new int[0])]
    [InlineData("[]", new int[0])]
    [InlineData("[31000-31001, 31005-31005]", new[] { 31000, 31001, 31005, 31005 })]
    [InlineData(" [ 80-80 ] ", new[] { 80, 80 })]
    [InlineData("[8080]", new[] { 8080, 8080 })]
    public void TryParse_ValidRanges_ReturnsPairs(string text, int[] flat)
    {
        Assert.True(PortRangeParser.TryParse(text, out var ranges, out var reason), reason);
        var expected = flat.Chunk(2).Select(p => new PortRange(p[0], p[1])).ToArray();
        Assert.Equal(expected, ranges);
    }

    [Theory]
    [InlineData("31000-31001")]
    [InlineData("[a-b]")]
    [InlineData("[1-70000]")]
    [InlineData("[5-4]")]
    [InlineData("[1-2,]")]
    public void TryParse_Invalid_ReturnsReason(string text)
    {
        Assert.False(PortRangeParser.TryParse(text, out _, out var reason));
        Assert.False(string.IsNullOrEmpty(reason));
    }
}
