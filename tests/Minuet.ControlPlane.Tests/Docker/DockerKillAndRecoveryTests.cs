using System.Diagnostics;
using Minuet.ControlPlane.Agent.Docker;
using Minuet.ControlPlane.Agent.Runtime;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Tests.Agent;

namespace Minuet.ControlPlane.Tests.Docker;

/// <summary>Killing Docker tasks, and what a restarted agent makes of the containers it finds.</summary>
[Collection(DockerDaemonGroup.Name)]
public sealed class DockerKillAndRecoveryTests(DockerDaemonFixture daemon)
{
    [DockerFact]
    public async Task Kill_ContainerHandlingTerm_KillingThenKilledWithoutWaitingForGrace()
    {
        await using var agent = new DockerTestAgent(daemon);
        var launch = DockerTestAgent.Launch("trap 'exit 0' TERM; while true; do sleep 0.1; done", grace: 300);
        agent.Harness.Runtime.Launch(launch);
        await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_RUNNING");

        var clock = Stopwatch.StartNew();
        Assert.Equal(KillOutcome.Accepted, agent.Harness.Runtime.Kill(launch.TaskId));
        var killed = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_KILLED");

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(120), $"took {clock.Elapsed}: the kill waited out the grace period"); // SIGTERM, not the 300 s grace
        Assert.Equal(0, killed.ExitCode);
        Assert.Equal(["TASK_STARTING", "TASK_RUNNING", "TASK_KILLING", "TASK_KILLED"], agent.Sink.For(launch.TaskId).Select(u => u.State));
    }

    [DockerFact]
    public async Task Kill_ContainerIgnoringTerm_SigkillAfterTheGracePeriod()
    {
        await using var agent = new DockerTestAgent(daemon);

        // A shell as the container's pid 1 has no default SIGTERM action: only SIGKILL ends it.
        var launch = DockerTestAgent.Launch("while true; do sleep 0.1; done", grace: 1.5);
        agent.Harness.Runtime.Launch(launch);
        await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_RUNNING");

        var clock = Stopwatch.StartNew();
        agent.Harness.Runtime.Kill(launch.TaskId);
        var killed = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_KILLED");

        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.4), $"killed after {clock.Elapsed}, before the grace period ended");
        Assert.Equal(137, killed.ExitCode);
    }

    [DockerFact]
    public async Task Recover_AgentRestartWhileContainerRuns_ReadoptsWatchesAndKillsIt()
    {
        await using var agent = new DockerTestAgent(daemon);
        var launch = DockerTestAgent.Launch("trap 'exit 0' TERM; echo before; while true; do sleep 0.1; done");
        agent.Harness.Runtime.Launch(launch);
        var running = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_RUNNING");

        int adopted = await agent.Harness.RestartAsync();

        Assert.Equal(1, adopted);
        Assert.Equal("TASK_RUNNING", agent.Harness.Runtime.LatestStatus(launch.TaskId)!.State);
        Assert.Equal(running.ContainerStatus!.NetworkInfos[0].IpAddresses[0].IpAddress,
            agent.Harness.Runtime.LatestStatus(launch.TaskId)!.ContainerStatus!.NetworkInfos[0].IpAddresses[0].IpAddress);
        agent.Harness.Runtime.Kill(launch.TaskId);
        await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_KILLED");
        Assert.Contains("before", agent.Harness.ReadStdout(launch.TaskId), StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task Recover_ContainerExitedWhileAgentWasDown_ReportedOnceWithItsExitStatus()
    {
        await using var agent = new DockerTestAgent(daemon);
        var launch = DockerTestAgent.Launch("echo first; while [ ! -f /tmp/stop ]; do sleep 0.1; done; echo while-agent-down; exit 7");
        agent.Harness.Runtime.Launch(launch);
        await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_RUNNING");
        await agent.WaitForStdoutAsync(launch.TaskId, "first\n");
        var oldSink = agent.Sink;

        await agent.Harness.Runtime.DisposeAsync();
        string name = DockerNames.ContainerName(launch.TaskId);
        var exec = await agent.Engine.ExecAsync(name, ["touch", "/tmp/stop"], null, CancellationToken.None);
        Assert.True(exec.Ok, exec.Error);
        var waited = await agent.Engine.WaitContainerAsync(name, CancellationToken.None);
        Assert.Equal(7, waited.Value!.StatusCode);
        int adopted = await agent.Harness.RestartAsync();
        var failed = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_FAILED");

        Assert.Equal(0, adopted);
        Assert.Equal(7, failed.ExitCode);
        Assert.Equal("Container exited with status 7", failed.Message);
        Assert.Equal("first\nwhile-agent-down\n", agent.Harness.ReadStdout(launch.TaskId));
        Assert.DoesNotContain(oldSink.For(launch.TaskId), u => u.State == "TASK_FAILED");
        var reportingSink = agent.Sink;
        await agent.Harness.RestartAsync();
        Assert.Null(agent.Harness.Runtime.LatestStatus(launch.TaskId));
        Assert.DoesNotContain(agent.Sink.Attempts, u => u.TaskId == launch.TaskId);
        Assert.Single(reportingSink.Attempts.Where(u => u.TaskId == launch.TaskId && u.State == "TASK_FAILED").Select(u => u.Uuid).Distinct());
    }

    [DockerFact]
    public async Task Recover_ContainerOfThisAgentWithoutCheckpoint_IsRemovedAsOrphan()
    {
        await using var agent = new DockerTestAgent(daemon);
        var launch = DockerTestAgent.Launch("while true; do sleep 0.1; done");
        agent.Harness.Runtime.Launch(launch);
        await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_RUNNING");
        await agent.Harness.Runtime.DisposeAsync();
        agent.Harness.Runtime.Store.DeleteTask(launch.TaskId);

        await agent.Harness.RestartAsync();

        var inspect = await agent.Engine.InspectContainerAsync(DockerNames.ContainerName(launch.TaskId), CancellationToken.None);
        Assert.True(inspect.NotFound, inspect.Error ?? "the orphan container is still there");
    }
}
