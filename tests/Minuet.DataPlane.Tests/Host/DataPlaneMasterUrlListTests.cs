using Minuet.DataPlane.Host;

namespace Minuet.DataPlane.Tests.Host;

/// <summary><c>--master-url</c> with every master of an HA cluster.</summary>
public sealed class DataPlaneMasterUrlListTests
{
    [Fact]
    public void Parse_SeveralMasterUrls_FollowsThemAllAndNamesThemMasterN()
    {
        var (options, errors) = DataPlaneOptionsParser.Parse(new DataPlaneArguments { MasterUrl = "http://10.0.0.1:5050,http://10.0.0.2:5050, http://10.0.0.3:5051" });

        Assert.Empty(errors);
        Assert.Equal(["http://10.0.0.1:5050/", "http://10.0.0.2:5050/", "http://10.0.0.3:5051/"], options!.MasterUrls.Select(u => u.ToString()));
        Assert.Equal(new Uri("http://10.0.0.1:5050/"), options.MasterUrl);
        Assert.Equal(["10.0.0.1:5050", "10.0.0.2:5050", "10.0.0.3:5051"], options.Masters);
    }

    [Theory]
    [InlineData("http://10.0.0.1:5050,10.0.0.2:5050")]
    [InlineData("http://10.0.0.1:5050,http://10.0.0.1:5050")]
    [InlineData("http://10.0.0.1:5050,ftp://10.0.0.2:5050")]
    public void Parse_BadEntryInTheList_IsRefusedNamingTheFlag(string text)
    {
        var (_, errors) = DataPlaneOptionsParser.Parse(new DataPlaneArguments { MasterUrl = text });

        Assert.Contains(errors, e => e.StartsWith("--master-url: must be the master's base http:// URL", StringComparison.Ordinal));
    }
}
