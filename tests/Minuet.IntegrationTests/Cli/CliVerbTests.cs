namespace Minuet.IntegrationTests.Cli;

public class CliVerbTests
{
    [Fact]
    public async Task Help_ListsEveryProductVerb()
    {
        var result = await CliProcess.RunAsync("--help");
        Assert.Equal(0, result.ExitCode);
        foreach (var verb in new[] { "up", "master", "agent", "dataplane", "app", "task", "vips", "version" })
        {
            Assert.Matches($@"(?m)^\s+{verb}\s", result.StdOut);
        }
    }

    [Fact]
    public async Task Version_PrintsSemanticVersion()
    {
        var result = await CliProcess.RunAsync("version");
        Assert.Equal(0, result.ExitCode);
        Assert.Matches(@"^minuet \d+\.\d+\.\d+ ", result.StdOut);
    }

    [Fact]
    public async Task UnknownVerb_FailsWithUsageError()
    {
        var result = await CliProcess.RunAsync("frobnicate");
        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("frobnicate", result.StdErr + result.StdOut);
    }
}
