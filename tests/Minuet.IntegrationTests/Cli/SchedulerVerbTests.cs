using Minuet.ControlPlane.Agent.Processes;

namespace Minuet.IntegrationTests.Cli;

/// <summary><c>minuet scheduler</c> stops cleanly on SIGTERM and SIGINT, as <c>master</c> and <c>agent</c> do.</summary>
public sealed class SchedulerVerbTests
{
    [Theory]
    [InlineData(15)]
    [InlineData(2)]
    public async Task Scheduler_Signal_StopsCleanlyWithExitZeroAndKeepsItsStore(int signal)
    {
        string dir = Path.Combine(Path.GetTempPath(), "minuet-scheduler-signal-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            using var scheduler = SignalledCli.Start(ownSession: false, "scheduler", "--master", "http://127.0.0.1:9",
                "--marathon-listen", $"127.0.0.1:{SignalledCli.FreePort()}", "--state-dir", dir, "--log-level", "warning");
            await scheduler.WaitForOutputAsync("Marathon API on", TimeSpan.FromSeconds(60));

            Assert.Equal(0, AgentInterop.Kill(scheduler.Process.Id, signal));

            Assert.Equal(0, await scheduler.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.True(File.Exists(Path.Combine(dir, "scheduler.db")), "the store stays for the next start");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
