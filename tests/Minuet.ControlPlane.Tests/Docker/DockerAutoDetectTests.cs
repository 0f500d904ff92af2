using Minuet.ControlPlane.Agent.Docker;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Tests.Agent;

namespace Minuet.ControlPlane.Tests.Docker;

/// <summary>Without <c>--containerizers</c>, Docker is on only when its socket answers at start (no daemon needed here).</summary>
public sealed class DockerAutoDetectTests
{
    [Fact]
    public async Task Recover_DefaultContainerizersAndNoSocket_MesosOnlyAndDockerLaunchFailsSayingWhy()
    {
        string socket = Path.Combine(Path.GetTempPath(), "minuet-no-docker-" + Guid.NewGuid().ToString("N")[..8] + ".sock");
        await using var agent = new AgentHarness(docker: new DockerOptions { Socket = socket });
        await agent.Runtime.RecoverAsync();
        var launch = AgentHarness.Shell("true") with { Container = new ContainerInfo { Type = "DOCKER", Docker = new DockerInfo { Image = "busybox" } } };

        agent.Runtime.Launch(launch);
        var failed = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_FAILED");

        Assert.Equal("mesos", agent.Runtime.Containerizers);
        Assert.False(agent.Runtime.DockerState!.Enabled);
        Assert.Contains($"the Docker socket {socket} did not answer when the agent started", agent.Runtime.DockerState.Reason, StringComparison.Ordinal);
        Assert.StartsWith("this agent runs no Docker containerizer (", failed.Message, StringComparison.Ordinal);
        Assert.Contains("no such socket", failed.Message, StringComparison.Ordinal);
    }
}
