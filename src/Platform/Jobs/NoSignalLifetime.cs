namespace Minuet.Platform.Jobs;

/// <summary>The generic host's ConsoleLifetime would take SIGTERM/SIGINT for itself; the CLI verb owns them.</summary>
internal sealed class NoSignalLifetime : Microsoft.Extensions.Hosting.IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
