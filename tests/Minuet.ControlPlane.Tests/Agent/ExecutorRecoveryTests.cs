using System.Diagnostics;
using System.Text.Json;
using Minuet.ControlPlane.Agent.Executors;
using Minuet.ControlPlane.Agent.Processes;
using Minuet.ControlPlane.Agent.Tasks;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Tests.Agent;

/// <summary>
/// An agent that died (not stopped) comes back to the checkpoints of its custom executors: a live executor is
/// reconnected when it subscribes again, one that does not is killed after the re-registration timeout, and the tasks
/// of one that died meanwhile fail; none is left running unseen.
/// </summary>
public sealed class ExecutorRecoveryTests
{
    private const string Framework = "fw-1";
    private const string Executor = "exec-1";

    [Fact]
    public async Task Recover_ExecutorDiedWhileAgentWasDown_ItsTaskFailsExecutorTerminated()
    {
        await using var agent = new AgentHarness();
        var launch = ExecutorLaunch();
        using (var gone = Process.Start("true")!)
        {
            await gone.WaitForExitAsync();
            Checkpoint(agent, launch, gone.Id, startTime: 1, Running(launch));
        }

        int adopted = await agent.RestartAsync();

        Assert.Equal(0, adopted);
        var failed = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_FAILED");
        Assert.Equal(TaskStatusReasons.ExecutorTerminated, failed.Reason);
        Assert.Equal("SOURCE_SLAVE", failed.Source);
        Assert.Contains("ended while the agent was not running", failed.Message, StringComparison.Ordinal);
        Assert.Empty(agent.Runtime.Store.LoadExecutors().Executors);
    }

    [Fact]
    public async Task Recover_ExecutorStillRunning_WaitsForItToSubscribeAgainThenTakesItsUpdates()
    {
        await using var agent = new AgentHarness();
        using var executor = StartExecutorProcess();
        try
        {
            var launch = ExecutorLaunch();
            Checkpoint(agent, launch, executor.Id, ProcStat.TryRead(executor.Id)!.Value.StartTime, Running(launch));

            Assert.Equal(1, await agent.RestartAsync());
            Assert.Equal(403, agent.Runtime.Executors.Check(Framework, Executor).Status);

            var (events, subscribed) = agent.Runtime.Executors.Subscribe(Framework, Executor, Json("{}"));
            Assert.Equal(200, subscribed.Status);
            Assert.NotNull(events);
            string uuid = Convert.ToBase64String(Guid.NewGuid().ToByteArray());
            var update = agent.Runtime.Executors.Update(Framework, Executor, Json(
                "{\"task_id\":{\"value\":\"" + launch.TaskId + "\"},\"state\":\"TASK_FINISHED\",\"source\":\"SOURCE_EXECUTOR\",\"uuid\":\"" + uuid + "\"}"));
            Assert.Equal(202, update.Status);
            var finished = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_FINISHED");
            Assert.Equal("SOURCE_EXECUTOR", finished.Source);
            Assert.True(ProcStat.IsSameLiveProcess(executor.Id, ProcStat.TryRead(executor.Id)!.Value.StartTime), "the reconnected executor keeps running");
        }
        finally
        {
            AgentInterop.Kill(-executor.Id, AgentInterop.SIGKILL);
        }
    }

    [Fact]
    public async Task Recover_ExecutorDoesNotSubscribeAgain_IsKilledAfterTheTimeoutAndItsTaskFails()
    {
        await using var agent = new AgentHarness { ExecutorReregistrationTimeout = TimeSpan.FromSeconds(1) };
        using var executor = StartExecutorProcess();
        try
        {
            var launch = ExecutorLaunch();
            long start = ProcStat.TryRead(executor.Id)!.Value.StartTime;
            Checkpoint(agent, launch, executor.Id, start, Running(launch));

            await agent.RestartAsync();

            var failed = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_FAILED", TimeSpan.FromSeconds(60));
            Assert.Equal("REASON_EXECUTOR_REREGISTRATION_TIMEOUT", failed.Reason);
            Assert.True(executor.WaitForExit(30_000), "the executor that did not come back is killed");
        }
        finally
        {
            AgentInterop.Kill(-executor.Id, AgentInterop.SIGKILL);
        }
    }

    [Fact]
    public async Task Recover_StagingTaskTheExecutorDoesNotList_IsDroppedWhenItSubscribesAgain()
    {
        await using var agent = new AgentHarness();
        using var executor = StartExecutorProcess();
        try
        {
            var known = ExecutorLaunch();
            var unknown = ExecutorLaunch();
            long start = ProcStat.TryRead(executor.Id)!.Value.StartTime;
            Checkpoint(agent, known, executor.Id, start, latest: null);
            agent.Runtime.Store.SaveTask(new TaskCheckpoint { Launch = unknown, ContainerId = "c1" });

            await agent.RestartAsync();
            var (_, subscribed) = agent.Runtime.Executors.Subscribe(Framework, Executor, Json(
                "{\"unacknowledged_tasks\":[{\"name\":\"t\",\"task_id\":{\"value\":\"" + known.TaskId + "\"},\"agent_id\":{\"value\":\"" + AgentHarness.AgentId + "\"}}]}"));
            Assert.Equal(200, subscribed.Status);

            var dropped = await agent.Sink.WaitForStateAsync(unknown.TaskId, "TASK_DROPPED");
            Assert.Equal(TaskStatusReasons.AgentRestarted, dropped.Reason);
            Assert.Empty(agent.Sink.For(known.TaskId));
        }
        finally
        {
            AgentInterop.Kill(-executor.Id, AgentInterop.SIGKILL);
        }
    }

    [Fact]
    public async Task Recover_KillWhileExecutorReconnects_IsSentAsKillOnceItSubscribesAgain()
    {
        await using var agent = new AgentHarness();
        using var executor = StartExecutorProcess();
        try
        {
            var launch = ExecutorLaunch();
            Checkpoint(agent, launch, executor.Id, ProcStat.TryRead(executor.Id)!.Value.StartTime, Running(launch));
            await agent.RestartAsync();

            agent.Runtime.Kill(launch.TaskId);
            var (events, subscribed) = agent.Runtime.Executors.Subscribe(Framework, Executor, Json("{}"));

            Assert.Equal(200, subscribed.Status);
            var types = new List<string>();
            while (events!.TryRead(out var payload))
            {
                using var e = JsonDocument.Parse(payload);
                types.Add(e.RootElement.GetProperty("type").GetString()!);
                if (types[^1] == "KILL")
                {
                    Assert.Equal(launch.TaskId, e.RootElement.GetProperty("kill").GetProperty("task_id").GetProperty("value").GetString());
                }
            }

            Assert.Equal(["SUBSCRIBED", "KILL"], types);
        }
        finally
        {
            AgentInterop.Kill(-executor.Id, AgentInterop.SIGKILL);
        }
    }

    private static LaunchTaskRequest ExecutorLaunch() => AgentHarness.Shell("unused: the executor runs the task") with
    {
        Executor = new ExecutorInfo { ExecutorId = Executor, Command = new CommandInfo { Value = "sleep 60" } },
    };

    /// <summary>What an agent that was killed while its executor ran leaves behind: the executor's and the task's checkpoints.</summary>
    private static void Checkpoint(AgentHarness agent, LaunchTaskRequest launch, int pid, long startTime, TaskStatusUpdate? latest)
    {
        agent.Runtime.Store.SaveExecutor(new ExecutorCheckpoint
        {
            Info = launch.Executor!,
            FrameworkId = Framework,
            AgentId = AgentHarness.AgentId,
            ContainerId = "c1",
            Directory = Path.Combine(agent.WorkDir, "executors", Framework, Executor, "runs", "c1"),
            Pid = pid,
            StartTime = startTime,
        });
        agent.Runtime.Store.SaveTask(new TaskCheckpoint { Launch = launch, ContainerId = "c1", LatestStatus = latest });
    }

    private static TaskStatusUpdate Running(LaunchTaskRequest launch) => new()
    {
        Uuid = Guid.NewGuid().ToString(),
        TaskId = launch.TaskId,
        FrameworkId = Framework,
        AgentId = AgentHarness.AgentId,
        State = "TASK_RUNNING",
        Source = "SOURCE_EXECUTOR",
    };

    /// <summary>A process standing in for an executor that outlived its agent: its own session, as the agent starts executors.</summary>
    private static Process StartExecutorProcess() => Process.Start(new ProcessStartInfo("setsid", "sleep 60") { UseShellExecute = false })!;

    private static JsonElement Json(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.Clone();
    }
}
