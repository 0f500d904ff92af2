using Microsoft.Extensions.Hosting;

namespace Minuet.ControlPlane.Agent.Http;

/// <summary>
/// Replaces the generic host's ConsoleLifetime, which takes SIGTERM/SIGINT for itself and only stops Kestrel,
/// leaving the agent hanging. The owner of the agent (the CLI verb, a test) decides when to stop.
/// </summary>
internal sealed class NoSignalLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
