using Minuet.ControlPlane.Agent.Docker;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Tests.Agent;

namespace Minuet.ControlPlane.Tests.Docker;

/// <summary>
/// An agent runtime with a Docker containerizer on the fixture's daemon. Disposal removes every container
/// labelled with the test agent's id, so no test leaves one behind for the next.
/// </summary>
internal sealed class DockerTestAgent : IAsyncDisposable
{
    public DockerTestAgent(DockerDaemonFixture daemon, bool allowPrivileged = false, string? socket = null)
    {
        Assert.True(daemon.StartError is null, daemon.StartError);
        Engine = new DockerEngine(daemon.Socket);
        Harness = new AgentHarness(docker: new DockerOptions
        {
            Enabled = true,
            Socket = socket ?? daemon.Socket,
            AllowPrivileged = allowPrivileged,
            ProbeNetns = daemon.Netns,
        });
    }

    public AgentHarness Harness { get; }

    public DockerEngine Engine { get; }

    public RecordingSink Sink => Harness.Sink;

    public static LaunchTaskRequest Launch(string? shell, string network = "BRIDGE", IReadOnlyList<PortMapping>? mappings = null,
        IReadOnlyList<PortRange>? ports = null, double? grace = null, HealthCheck? check = null, double mem = 64, string image = DockerDaemonFixture.Image)
    {
        var launch = AgentHarness.Shell(shell ?? "unused", grace, check, ports);
        return launch with
        {
            Command = shell is null ? new CommandInfo { Shell = false } : launch.Command,
            Resources = launch.Resources with { Mem = mem },
            Container = new ContainerInfo
            {
                Type = "DOCKER",
                Docker = new DockerInfo { Image = image, Network = network, PortMappings = mappings ?? [] },
            },
        };
    }

    public async Task<ContainerInspect> InspectAsync(string taskId)
    {
        var inspect = await Engine.InspectContainerAsync(DockerNames.ContainerName(taskId), CancellationToken.None);
        Assert.True(inspect.Ok, inspect.Error);
        return inspect.Value!;
    }

    /// <summary>Waits until the task's sandbox stdout holds <paramref name="text"/> (the log follower copied it).</summary>
    public async Task WaitForStdoutAsync(string taskId, string text)
    {
        string path = Path.Combine(Harness.Runtime.Store.Sandbox(taskId), "stdout");
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!(File.Exists(path) && File.ReadAllText(path).Contains(text, StringComparison.Ordinal)))
        {
            Assert.True(DateTime.UtcNow < deadline, $"stdout of {taskId} never held '{text}'");
            await Task.Delay(25);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Harness.DisposeAsync();
        var listed = await Engine.ListContainersAsync($"{DockerNames.AgentIdLabel}={AgentHarness.AgentId}", CancellationToken.None);
        foreach (var container in listed.Value ?? [])
        {
            await Engine.RemoveContainerAsync(container.Id, CancellationToken.None);
        }

        Engine.Dispose();
    }
}
