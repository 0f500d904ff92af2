namespace Minuet.IntegrationTests.Cli;

public class CliVerbTests
{
    [Fact]
    public async Task Help_ListsEveryProductVerb()
    {
        var result = await CliProcess.RunAsync("--help");
        Assert.Equal(0, result.ExitCode);
        foreach (var verb in new[] { "up", "master", "agent", "dataplane", "scheduler", "app", "task", "vips", "dns", "version" })
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

    [Fact]
    public async Task AppList_NoScheduler_ExplainsWhereItLooked()
    {
        var result = await CliProcess.RunAsync("app", "list", "--marathon", "http://127.0.0.1:9");

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("cannot reach http://127.0.0.1:9/v2/apps", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AppAdd_NotJson_NamesTheFile()
    {
        string file = Path.Combine(Path.GetTempPath(), "minuet-notjson-" + Guid.NewGuid().ToString("N")[..6] + ".json");
        await File.WriteAllTextAsync(file, "{ nope");
        try
        {
            var result = await CliProcess.RunAsync("app", "add", file);

            Assert.Equal(1, result.ExitCode);
            Assert.Contains($"{file} is not valid JSON", result.StdErr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Up_BadAgentCount_RefusedBeforeStartingAnything()
    {
        var result = await CliProcess.RunAsync("up", "--no-docker", "--agents", "0", "--state-dir", Path.GetTempPath());

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--agents: must be from 1 to 30", result.StdErr, StringComparison.Ordinal);
    }
}
