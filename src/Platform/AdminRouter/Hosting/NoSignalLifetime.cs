using Microsoft.Extensions.Hosting;

namespace Minuet.Platform.AdminRouter.Hosting;

/// <summary>Keeps the generic host from taking SIGINT/SIGTERM: the CLI verb owns the signals and stops the host.</summary>
internal sealed class NoSignalLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
