using System.Diagnostics;
using Minuet.ControlPlane.Agent.Processes;
using Minuet.ControlPlane.Agent.Runtime;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Tests.Agent;

public sealed class AgentRuntimeProcessTests
{
    [Fact]
    public async Task Launch_CommandExitsZero_ReportsStartingRunningFinished()
    {
        await using var agent = new AgentHarness();
        var launch = AgentHarness.Shell("echo hello-from-task");

        Assert.Equal(LaunchOutcomeKind.Accepted, agent.Runtime.Launch(launch).Kind);
        var finished = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_FINISHED");

        Assert.Equal(0, finished.ExitCode);
        Assert.Equal(["TASK_STARTING", "TASK_RUNNING", "TASK_FINISHED"], agent.Sink.For(launch.TaskId).Select(u => u.State));
        Assert.Contains("hello-from-task", agent.ReadStdout(launch.TaskId), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Launch_CommandExitsThree_ReportsFailedWithExitCodeAndReason()
    {
        await using var agent = new AgentHarness();
        var launch = AgentHarness.Shell("echo oops >&2; exit 3");

        agent.Runtime.Launch(launch);
        var failed = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_FAILED");

        Assert.Equal(3, failed.ExitCode);
        Assert.Equal(TaskStatusReasons.CommandExecutorFailed, failed.Reason);
        Assert.Contains("status 3", failed.Message, StringComparison.Ordinal);
        Assert.Contains("oops", File.ReadAllText(Path.Combine(agent.Runtime.Store.Sandbox(launch.TaskId), "stderr")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Launch_ArgsCommand_RunsProgramWithArguments()
    {
        await using var agent = new AgentHarness();
        var launch = AgentHarness.Shell("unused") with
        {
            Command = new CommandInfo { Shell = false, Arguments = ["/bin/echo", "a b", "c"] },
        };

        agent.Runtime.Launch(launch);
        await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_FINISHED");

        Assert.Equal("a b c\n", agent.ReadStdout(launch.TaskId));
    }

    [Fact]
    public async Task Kill_SleepingTask_ReportsKillingThenKilledAndGroupIsGone()
    {
        await using var agent = new AgentHarness();
        var launch = AgentHarness.Shell("sleep 600 & sleep 600; wait", grace: 120);
        agent.Runtime.Launch(launch);
        int pid = await agent.WaitForPidAsync(launch.TaskId);
        await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_RUNNING");

        var watch = Stopwatch.StartNew();
        Assert.Equal(KillOutcome.Accepted, agent.Runtime.Kill(launch.TaskId));
        var killed = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_KILLED");

        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(60), $"SIGTERM should end sleep at once, not after the 120 s grace: took {watch.Elapsed}");
        Assert.Equal(["TASK_STARTING", "TASK_RUNNING", "TASK_KILLING", "TASK_KILLED"], agent.Sink.For(launch.TaskId).Select(u => u.State));
        Assert.NotNull(killed.ExitCode);
        Assert.False(ProcStat.GroupHasLiveMembers(pid));
    }

    [Fact]
    public async Task Kill_TaskIgnoringSigterm_IsSigkilledAfterGracePeriod()
    {
        await using var agent = new AgentHarness();
        var launch = AgentHarness.Shell("trap '' TERM; echo ready; while true; do sleep 0.1; done", grace: 1);
        agent.Runtime.Launch(launch);
        int pid = await agent.WaitForPidAsync(launch.TaskId);
        await WaitForOutputAsync(agent, launch.TaskId, "ready");

        var watch = Stopwatch.StartNew();
        agent.Runtime.Kill(launch.TaskId);
        await Task.Delay(500);
        Assert.Null(agent.Sink.For(launch.TaskId).FirstOrDefault(u => u.State == "TASK_KILLED"));
        var killed = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_KILLED");

        Assert.True(watch.Elapsed >= TimeSpan.FromSeconds(0.9), $"killed before the grace period ended: {watch.Elapsed}");
        Assert.Equal(128 + AgentInterop.SIGKILL, killed.ExitCode);
        Assert.False(ProcStat.GroupHasLiveMembers(pid));
    }

    [Fact]
    public async Task Exit_WithRetriedAcknowledgements_ReportsExactlyOneTerminalUpdateInOrder()
    {
        await using var agent = new AgentHarness();
        agent.Sink.FailuresPerUpdate = 3;
        var launch = AgentHarness.Shell("exit 7");

        agent.Runtime.Launch(launch);
        await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_FAILED");
        agent.Runtime.Kill(launch.TaskId);
        await Task.Delay(300);

        var acked = agent.Sink.For(launch.TaskId);
        Assert.Equal(["TASK_STARTING", "TASK_RUNNING", "TASK_FAILED"], acked.Select(u => u.State));
        Assert.Equal(4, agent.Sink.Attempts.Count(a => a.Uuid == acked[^1].Uuid));
        Assert.Null(agent.Runtime.TaskPid(launch.TaskId));
        Assert.Equal("TASK_FAILED", agent.Runtime.LatestStatus(launch.TaskId)?.State);
    }

    [Fact]
    public async Task Kill_AfterExit_IsAlreadyTerminalAndUnknownTaskIsUnknown()
    {
        await using var agent = new AgentHarness();
        var launch = AgentHarness.Shell("true");
        agent.Runtime.Launch(launch);
        await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_FINISHED");
        await Task.Delay(100);

        Assert.Equal(KillOutcome.AlreadyTerminal, agent.Runtime.Kill(launch.TaskId));
        Assert.Equal(KillOutcome.Unknown, agent.Runtime.Kill("no-such-task"));
        Assert.Single(agent.Sink.For(launch.TaskId), u => u.State == "TASK_FINISHED");
    }

    [Fact]
    public async Task Launch_DuplicateIdOrWrongAgentOrInvalid_IsRefusedWithReason()
    {
        await using var agent = new AgentHarness();
        var launch = AgentHarness.Shell("sleep 5");
        agent.Runtime.Launch(launch);
        await agent.WaitForPidAsync(launch.TaskId);

        Assert.Equal(LaunchOutcomeKind.Duplicate, agent.Runtime.Launch(launch).Kind);
        var wrong = agent.Runtime.Launch(AgentHarness.Shell("true") with { AgentId = "other-S9" });
        Assert.Equal(LaunchOutcomeKind.WrongAgent, wrong.Kind);
        var invalid = agent.Runtime.Launch(AgentHarness.Shell("true") with { Command = new CommandInfo { Value = "" } });
        Assert.Equal(LaunchOutcomeKind.Invalid, invalid.Kind);
        Assert.Contains(invalid.Errors, e => e.Path == "/command/value");
        var control = agent.Runtime.Launch(AgentHarness.Shell("true") with { TaskId = "bad\u0000id" });
        Assert.Contains(control.Errors, e => e.Path == "/task_id");
        agent.Runtime.Kill(launch.TaskId, 0);
        await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_KILLED");
    }

    [Fact]
    public async Task Launch_Environment_HasPortsHostSandboxAndTaskEnv()
    {
        await using var agent = new AgentHarness();
        var launch = AgentHarness.Shell("echo \"$PORT0 $PORT1 $PORT $PORTS $HOST $MESOS_TASK_ID $MESOS_SANDBOX $GREETING\"",
            ports: [new PortRange(31001, 31002)], env: new Dictionary<string, string> { ["GREETING"] = "hi" });

        agent.Runtime.Launch(launch);
        await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_FINISHED");

        string sandbox = agent.Runtime.Store.Sandbox(launch.TaskId);
        Assert.Equal($"31001 31002 31001 31001,31002 agent-test {launch.TaskId} {sandbox} hi\n", agent.ReadStdout(launch.TaskId));
    }

    [Fact]
    public async Task Status_MasterOffline_UpdatesQueueAndArriveInOrderWhenItReturns()
    {
        await using var agent = new AgentHarness();
        agent.Sink.Online = false;
        var launch = AgentHarness.Shell("exit 0");
        agent.Runtime.Launch(launch);
        for (int i = 0; i < 400 && agent.Runtime.LatestStatus(launch.TaskId)?.State != "TASK_FINISHED"; i++)
        {
            await Task.Delay(25);
        }

        Assert.Equal("TASK_FINISHED", agent.Runtime.LatestStatus(launch.TaskId)?.State);
        Assert.Empty(agent.Sink.For(launch.TaskId));
        Assert.NotEmpty(agent.Sink.Attempts);

        agent.Sink.Online = true;
        await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_FINISHED");

        Assert.Equal(["TASK_STARTING", "TASK_RUNNING", "TASK_FINISHED"], agent.Sink.For(launch.TaskId).Select(u => u.State));
    }

    internal static async Task WaitForOutputAsync(AgentHarness agent, string taskId, string text)
    {
        for (int i = 0; i < 400; i++)
        {
            try
            {
                if (agent.ReadStdout(taskId).Contains(text, StringComparison.Ordinal))
                {
                    return;
                }
            }
            catch (IOException)
            {
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"'{text}' never appeared in {taskId}'s stdout");
    }
}
