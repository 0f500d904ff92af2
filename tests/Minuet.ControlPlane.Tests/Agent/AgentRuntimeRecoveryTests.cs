using Minuet.ControlPlane.Agent.Processes;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Tests.Agent;

public sealed class AgentRuntimeRecoveryTests
{
    [Fact]
    public async Task Recover_AgentRestartWhileTaskRuns_ReadoptsAndKillsIt()
    {
        await using var agent = new AgentHarness();
        var launch = AgentHarness.Shell("echo up; sleep 60");
        agent.Runtime.Launch(launch);
        int pid = await agent.WaitForPidAsync(launch.TaskId);
        await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_RUNNING");

        int adopted = await agent.RestartAsync();

        Assert.Equal(1, adopted);
        Assert.Equal(pid, agent.Runtime.TaskPid(launch.TaskId));
        Assert.Equal("TASK_RUNNING", agent.Runtime.LatestStatus(launch.TaskId)?.State);
        Assert.Contains(agent.Runtime.ReportTasks(), t => t.Launch.TaskId == launch.TaskId);
        agent.Runtime.Kill(launch.TaskId);
        var killed = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_KILLED");
        Assert.Equal(143, killed.ExitCode);
        Assert.False(ProcStat.GroupHasLiveMembers(pid));
    }

    [Fact]
    public async Task Recover_TaskExitsAfterReadoption_ReportsItsRealExitCodeOnce()
    {
        await using var agent = new AgentHarness();
        string flag = Path.Combine(agent.WorkDir, "go");
        var launch = AgentHarness.Shell($"while [ ! -e '{flag}' ]; do sleep 0.05; done; exit 5");
        agent.Runtime.Launch(launch);
        await agent.WaitForPidAsync(launch.TaskId);
        await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_RUNNING");

        await agent.RestartAsync();
        await File.WriteAllTextAsync(flag, "now");
        var failed = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_FAILED");

        Assert.Equal(5, failed.ExitCode);
        await Task.Delay(200);
        Assert.Single(agent.Sink.For(launch.TaskId), u => u.State == "TASK_FAILED");
    }

    [Fact]
    public async Task Recover_TaskEndedWhileAgentWasDown_ReportsTerminalFromExitFile()
    {
        await using var agent = new AgentHarness();
        string flag = Path.Combine(agent.WorkDir, "go");
        var launch = AgentHarness.Shell($"while [ ! -e '{flag}' ]; do sleep 0.05; done; exit 0");
        agent.Runtime.Launch(launch);
        int pid = await agent.WaitForPidAsync(launch.TaskId);
        await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_RUNNING");

        await agent.Runtime.DisposeAsync();
        await File.WriteAllTextAsync(flag, "now");
        for (int i = 0; i < 200 && ProcStat.GroupHasLiveMembers(pid); i++)
        {
            await Task.Delay(25);
        }

        int adopted = await agent.RestartAsync();
        var finished = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_FINISHED");

        Assert.Equal(0, adopted);
        Assert.Equal(0, finished.ExitCode);
    }

    [Fact]
    public async Task Recover_UnacknowledgedUpdates_AreResentAfterRestart()
    {
        await using var agent = new AgentHarness();
        agent.Sink.Online = false;
        var launch = AgentHarness.Shell("exit 2");
        agent.Runtime.Launch(launch);
        for (int i = 0; i < 200 && agent.Runtime.LatestStatus(launch.TaskId)?.State != "TASK_FAILED"; i++)
        {
            await Task.Delay(25);
        }

        await agent.RestartAsync();
        await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_FAILED");

        Assert.Equal(["TASK_STARTING", "TASK_RUNNING", "TASK_FAILED"], agent.Sink.For(launch.TaskId).Select(u => u.State));
        await Task.Delay(200);
        Assert.False(Directory.Exists(agent.Runtime.Store.TaskMetaDir(launch.TaskId)));
    }

    [Fact]
    public async Task Recover_PidReusedByAnotherProcess_IsNotAdopted()
    {
        await using var agent = new AgentHarness();
        var launch = AgentHarness.Shell("sleep 60");
        agent.Runtime.Launch(launch);
        int pid = await agent.WaitForPidAsync(launch.TaskId);
        await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_RUNNING");
        await agent.Runtime.DisposeAsync();

        // Rewrite the checkpoint as if the pid had started at another time: the process is "someone else".
        var (tasks, _) = agent.Runtime.Store.LoadTasks();
        var checkpoint = Assert.Single(tasks);
        agent.Runtime.Store.SaveTask(checkpoint with { StartTime = checkpoint.StartTime + 12345 });
        int adopted = await agent.RestartAsync();
        var failed = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_FAILED");

        Assert.Equal(0, adopted);
        Assert.Equal(TaskStatusReasons.ExecutorTerminated, failed.Reason);
        Assert.True(ProcStat.TryRead(pid) is { IsAlive: true }, "a process that is not the task must never be signalled");
        AgentInterop.Kill(-pid, AgentInterop.SIGKILL);
    }
}
