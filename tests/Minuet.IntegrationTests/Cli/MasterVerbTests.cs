namespace Minuet.IntegrationTests.Cli;

/// <summary><c>minuet master</c> refuses bad flags before opening its store, naming each flag.</summary>
public sealed class MasterVerbTests
{
    [Fact]
    public async Task Master_ZeroPingTimeoutAndAllocationInterval_ExitsOneNamingBothFlags()
    {
        string dir = Path.Combine(Path.GetTempPath(), "minuet-master-flags-" + Guid.NewGuid().ToString("N")[..8]);

        var result = await CliProcess.RunAsync("master", "--listen", "127.0.0.1:9", "--state-dir", dir,
            "--agent-ping-timeout", "0s", "--allocation-interval", "0ms");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("minuet master: --agent-ping-timeout: '0s' must be more than zero", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("minuet master: --allocation-interval: '0ms' must be more than zero", result.StdErr, StringComparison.Ordinal);
        Assert.False(Directory.Exists(dir), "nothing is created for a refused start");
    }
}
