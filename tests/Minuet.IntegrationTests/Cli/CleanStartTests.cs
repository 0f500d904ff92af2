using Minuet.Cli.Cluster;

namespace Minuet.IntegrationTests.Cli;

/// <summary><c>up --clean</c> forgets earlier runs' apps, tasks and agents, keeps the logs, and never pulls the state from under a running up.</summary>
public sealed class CleanStartTests : IDisposable
{
    private readonly string _dir = Path.Combine(Path.GetTempPath(), "minuet-clean-" + Guid.NewGuid().ToString("N")[..8]);

    public CleanStartTests()
    {
        foreach (string sub in new[] { "master", "scheduler", "agent0", "agent1", "logs" })
        {
            Directory.CreateDirectory(Path.Combine(_dir, sub));
            File.WriteAllText(Path.Combine(_dir, sub, "x"), "state");
        }
    }

    [Fact]
    public async Task Run_PreviousState_RemovesStoresAndWorkDirsKeepsLogs()
    {
        Assert.Null(await CleanStart.RunAsync(_dir));

        Assert.Equal(["logs"], Directory.GetDirectories(_dir).Select(Path.GetFileName));
    }

    [Fact]
    public async Task Run_AnotherUpRunsOnTheStateDir_RefusesAndKeepsEverything()
    {
        // pid 1 always lives: it stands in for the other up.
        File.WriteAllText(Path.Combine(_dir, UpEndpoints.FileName), """{"pid":1,"master":"m","marathon":"m","dns":"d","dataplane":"p","l4lb":false}""");

        string? refusal = await CleanStart.RunAsync(_dir);

        Assert.Equal($"--clean: another minuet up (pid 1) is running on {_dir}; stop it first", refusal);
        Assert.Equal(5, Directory.GetDirectories(_dir).Length);
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
