using Minuet.ControlPlane.Allocation;

namespace Minuet.ControlPlane.Tests.Allocation;

public class PortSetTests
{
    [Theory]
    [InlineData("[31000-32000]", "[31000-32000]")]
    [InlineData("[31000-31005, 31010-31010]", "[31000-31005, 31010-31010]")]
    [InlineData("[31006-31010,31000-31005]", "[31000-31010]")]
    [InlineData("31000-31001", "[31000-31001]")]
    [InlineData("[80]", "[80-80]")]
    [InlineData("[]", "[]")]
    public void TryParse_ValidRanges_FormatsAsMesos(string text, string expected)
    {
        Assert.True(PortSet.TryParse(text, out var set, out var error), error);
        Assert.Equal(expected, set.ToString());
    }

    [Theory]
    [InlineData("[31000-30000]")]
    [InlineData("[abc]")]
    [InlineData("[31000-70000]")]
    [InlineData("[31000-31001")]
    [InlineData("")]
    public void TryParse_Malformed_ReturnsReason(string text)
    {
        Assert.False(PortSet.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void Subtract_MiddleAndEdges_SplitsRanges()
    {
        var set = PortSet.Parse("[31000-32000]");
        var result = set.Subtract(PortSet.Parse("[31000-31000, 31500-31600, 32000-32000]"));
        Assert.Equal("[31001-31499, 31601-31999]", result.ToString());
        Assert.Equal(898UL, result.Count);
    }

    [Fact]
    public void Contains_SubsetAndNonSubset()
    {
        var set = PortSet.Parse("[31000-31010, 31020-31030]");
        Assert.True(set.Contains(PortSet.Parse("[31001-31002, 31025-31025]")));
        Assert.False(set.Contains(PortSet.Parse("[31009-31021]")));
    }

    [Fact]
    public void Take_AcrossIntervals_TakesFirstPorts()
    {
        var set = PortSet.Parse("[31000-31001, 31005-31010]");
        Assert.Equal("[31000-31001, 31005-31005]", set.Take(3).ToString());
    }

    [Fact]
    public void Union_Adjacent_Merges()
    {
        Assert.Equal("[1-10]", PortSet.Parse("[1-5]").Union(PortSet.Parse("[6-10]")).ToString());
    }
}
