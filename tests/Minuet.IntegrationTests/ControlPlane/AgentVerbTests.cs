using Minuet.IntegrationTests.Cli;

namespace Minuet.IntegrationTests.ControlPlane;

/// <summary><c>minuet agent</c> rejects bad flags with a message naming the flag and the part.</summary>
public sealed class AgentVerbTests
{
    [Fact]
    public async Task Agent_BadResourcePart_ExitsOneNamingThePart()
    {
        var result = await CliProcess.RunAsync("agent", "--master", "http://127.0.0.1:9", "--work-dir", Path.GetTempPath(),
            "--resources", "cpus:2;mem:lots;ports:[31000-32000]");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--resources: resource part 2 'mem:lots': 'lots' is not a number", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_BadMasterListenAndAttributes_ReportsEveryError()
    {
        var result = await CliProcess.RunAsync("agent", "--master", "not-a-url", "--listen", "nowhere", "--work-dir", Path.GetTempPath(),
            "--attributes", "rack");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--master: 'not-a-url' is not an http:// URL", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("--listen:", result.StdErr, StringComparison.Ordinal);
        Assert.Contains("--attributes: part 1 'rack'", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_NegativeKillGrace_ExitsOneNamingTheFlag()
    {
        var result = await CliProcess.RunAsync("agent", "--master", "http://127.0.0.1:9", "--work-dir", Path.GetTempPath(),
            "--resources", "cpus:1;mem:512;ports:[31000-31001]", "--default-kill-grace", "-1s");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("minuet agent: --default-kill-grace: '-1s' cannot be negative", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Agent_Help_DescribesTaskNetworkAndResources()
    {
        var result = await CliProcess.RunAsync("agent", "--help");

        Assert.Equal(0, result.ExitCode);
        foreach (var flag in new[] { "--master", "--resources", "--work-dir", "--listen", "--hostname", "--attributes", "--task-network" })
        {
            Assert.Contains(flag, result.StdOut, StringComparison.Ordinal);
        }
    }
}
