namespace Minuet.IntegrationTests.Cli;

/// <summary><c>minuet autoscale</c>'s option checks: every bad value named with its reason, exit 1, nothing started.</summary>
public sealed class AutoscaleVerbTests
{
    [Theory]
    [InlineData("--threshold-percent", "-0.1", "--threshold-percent: must be zero or more")]
    [InlineData("--threshold-instances", "-1", "--threshold-instances: cannot be negative")]
    [InlineData("--target-rps", "0", "--target-rps: must be more than zero")]
    [InlineData("--apps", "nginx", "--apps: 'nginx' is not APPID_SERVICEPORT")]
    public async Task Autoscale_BadOption_ExitOneNamingIt(string option, string value, string error)
    {
        string[] args = ["autoscale", "--haproxy", "http://127.0.0.1:1", "--apps", "web_10000", option, value];
        var result = await CliProcess.RunAsync(args);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("minuet autoscale: " + error, result.StdErr, StringComparison.Ordinal);
    }
}
