using Minuet.ControlPlane.Agent.Processes;
using Minuet.ControlPlane.Agent.Runtime;
using Minuet.ControlPlane.Agent.Tasks;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Tests.Agent;

/// <summary>
/// The kill drain (<c>MINUET_DRAIN_SECONDS</c>): TASK_KILLING is reported while the task still runs, and SIGTERM comes only
/// after the drain, so a load balancer acting on TASK_KILLING can take the task out before it stops serving.
/// </summary>
public sealed class AgentRuntimeDrainTests
{
    [Fact]
    public async Task Kill_TaskWithDrainLabel_ReportsKillingWhileTaskStillRunsThenSigterms()
    {
        await using var agent = new AgentHarness();
        // On SIGTERM the task says whether the test had already seen TASK_KILLING (the test drops a file when it has).
        var launch = AgentHarness.Shell(
            "trap 'if [ -e \"$MESOS_SANDBOX/seen-killing\" ]; then echo term-after-killing; else echo term-before-killing; fi; exit 0' TERM; " +
            "echo ready; while true; do sleep 0.1; done", grace: 30);
        launch.Labels = [new Label(KillDrain.Label, "10")];
        agent.Runtime.Launch(launch);
        int pid = await agent.WaitForPidAsync(launch.TaskId);
        await AgentRuntimeProcessTests.WaitForOutputAsync(agent, launch.TaskId, "ready");

        Assert.Equal(KillOutcome.Accepted, agent.Runtime.Kill(launch.TaskId));
        await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_KILLING");
        await File.WriteAllTextAsync(Path.Combine(agent.Runtime.Store.Sandbox(launch.TaskId), "seen-killing"), "");
        var killed = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_KILLED", TimeSpan.FromSeconds(120));

        Assert.Contains("term-after-killing", agent.ReadStdout(launch.TaskId), StringComparison.Ordinal);
        Assert.Equal(0, killed.ExitCode);
        Assert.False(ProcStat.GroupHasLiveMembers(pid));
    }

    [Fact]
    public async Task Kill_WithExplicitZeroGrace_SkipsTheDrain()
    {
        await using var agent = new AgentHarness();
        var launch = AgentHarness.Shell("sleep 600", grace: 30);
        launch.Labels = [new Label(KillDrain.Label, "300")];
        agent.Runtime.Launch(launch);
        await agent.WaitForPidAsync(launch.TaskId);
        await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_RUNNING");

        agent.Runtime.Kill(launch.TaskId, 0);

        // A 300 s drain would outlast this wait; a forced kill ends the task at once.
        await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_KILLED", TimeSpan.FromSeconds(120));
    }

    [Theory]
    [InlineData(null, 0, false)]
    [InlineData("2.5", 2.5, false)]
    [InlineData("0", 0, false)]
    [InlineData("soon", 0, true)]
    [InlineData("-1", 0, true)]
    [InlineData("301", 0, true)]
    [InlineData("NaN", 0, true)]
    public void Of_LabelValue_GivesSecondsOrAnErrorNamingTheLabel(string? value, double seconds, bool error)
    {
        IReadOnlyList<Label> labels = value is null ? [new Label("OTHER", "1")] : [new Label(KillDrain.Label, value)];

        var (drain, problem) = KillDrain.Of(labels);

        Assert.Equal(seconds, drain);
        if (error)
        {
            Assert.StartsWith(KillDrain.Label + ":", problem, StringComparison.Ordinal);
        }
        else
        {
            Assert.Null(problem);
        }
    }
}
