using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Tests.Master;

public class MasterCoreAgentTests
{
    [Fact]
    public void RegisterAgent_New_GetsMasterScopedIdAndHeartbeatInterval()
    {
        var m = new TestMaster();
        var (response, error) = m.Core.RegisterAgent(TestMaster.AgentRequest());
        Assert.Null(error);
        Assert.Equal($"{m.Core.MasterId}-S0", response!.AgentId);
        Assert.Equal(5, response.HeartbeatIntervalSeconds);
        Assert.Equal($"{m.Core.MasterId}-S1", m.RegisterAgent("10.0.0.12"));
    }

    [Fact]
    public void RegisterAgent_Invalid_NamesEveryField()
    {
        var m = new TestMaster();
        var (_, error) = m.Core.RegisterAgent(TestMaster.AgentRequest(address: "agent.example") with { Port = 0 });
        Assert.NotNull(error);
        Assert.Equal(422, error!.Status);
        Assert.Contains(error.Details!, d => d.Path == "/address");
        Assert.Contains(error.Details!, d => d.Path == "/port");
    }

    [Fact]
    public void Heartbeat_UnknownAgent_Is404UnknownAgent()
    {
        var m = new TestMaster();
        var (_, error) = m.Core.Heartbeat("nope", new HeartbeatRequest { AgentId = "nope" });
        Assert.Equal(404, error!.Status);
        Assert.Equal(ProtocolErrorCodes.UnknownAgent, error.Code);
    }

    [Fact]
    public void Tick_AgentSilentPastPingTimeouts_TasksUnreachableThenBackOnReregister()
    {
        var m = new TestMaster();
        var (agent, framework, connection) = m.RunningTask();

        // 15 s × 5 = 75 s: at 70 s still reachable, past 75 s unreachable.
        m.Time.Advance(TimeSpan.FromSeconds(70));
        m.Core.Tick(m.Time.Now);
        Assert.Equal(TaskState.Running, m.Core.Tasks["web.1"].State);
        m.Time.Advance(TimeSpan.FromSeconds(6));
        m.Core.Tick(m.Time.Now);
        Assert.Equal(TaskState.Unreachable, m.Core.Tasks["web.1"].State);
        var update = TestMaster.Drain(connection).Single(e => e.Type == "UPDATE").Update!;
        Assert.Equal("TASK_UNREACHABLE", update.State);
        Assert.NotNull(update.Uuid);

        // Heartbeats of an unreachable agent are refused so it re-registers with its tasks.
        Assert.NotNull(m.Core.Heartbeat(agent, new HeartbeatRequest { AgentId = agent }).Error);
        var launch = m.Dispatcher.Launches.Single().Launch;
        var back = m.Core.RegisterAgent(TestMaster.AgentRequest(agent, tasks:
            [new ReportedTask { Launch = launch, LatestStatus = m.Status("web.1", framework, agent, TaskState.Running) }]));
        Assert.Null(back.Error);
        Assert.Equal(agent, back.Response!.AgentId);
        Assert.Empty(back.Response.KillTaskIds);
        Assert.Equal(TaskState.Running, m.Core.Tasks["web.1"].State);
    }

    [Fact]
    public void StatusUpdate_RepeatedUuid_AppliedOnceAndAcknowledgedAgain()
    {
        var m = new TestMaster();
        var (agent, framework, connection) = m.RunningTask();
        var finished = m.Status("web.1", framework, agent, TaskState.Finished);
        Assert.Equal(finished.Uuid, m.Core.StatusUpdate(agent, finished).Ack!.Uuid);
        Assert.Equal(finished.Uuid, m.Core.StatusUpdate(agent, finished).Ack!.Uuid);
        Assert.Single(TestMaster.Drain(connection), e => e.Type == "UPDATE");
        Assert.Equal(TaskState.Finished, m.Core.Tasks["web.1"].State);
    }

    [Fact]
    public void StatusUpdate_AfterTerminal_Ignored()
    {
        var m = new TestMaster();
        var (agent, framework, _) = m.RunningTask();
        m.Core.StatusUpdate(agent, m.Status("web.1", framework, agent, TaskState.Failed));
        m.Core.StatusUpdate(agent, m.Status("web.1", framework, agent, TaskState.Running));
        Assert.Equal(TaskState.Failed, m.Core.Tasks["web.1"].State);
    }

    [Fact]
    public void StatusUpdate_Terminal_ResourcesReturnToAllocator()
    {
        var m = new TestMaster();
        var (agent, framework, connection) = m.RunningTask();
        Assert.Equal(0.5, m.Core.Allocator.AllocationOf(agent, framework).Total.Cpus);
        m.Core.StatusUpdate(agent, m.Status("web.1", framework, agent, TaskState.Finished));
        Assert.Equal(0, m.Core.Allocator.AllocationOf(agent, framework).Total.Cpus);
        m.Time.Advance(TimeSpan.FromSeconds(6));
        var offer = Assert.Single(m.Offers(connection));
        Assert.Equal(4, offer.Resources.Cpus);
    }

    [Fact]
    public void Heartbeat_ReportsTaskMasterConsidersFinished_IsToldToKill()
    {
        var m = new TestMaster();
        var (agent, framework, _) = m.RunningTask();
        m.Core.StatusUpdate(agent, m.Status("web.1", framework, agent, TaskState.Killed));
        var (response, _) = m.Core.Heartbeat(agent, new HeartbeatRequest
        {
            AgentId = agent,
            Tasks = [new TaskStateReport("web.1", "TASK_RUNNING"), new TaskStateReport("stray", "TASK_RUNNING")],
        });
        Assert.Equal(["web.1", "stray"], response!.KillTaskIds);
    }

    [Fact]
    public void RegisterAgent_ReregisterWithoutKnownTask_TaskGone()
    {
        var m = new TestMaster();
        var (agent, _, _) = m.RunningTask();
        var (response, _) = m.Core.RegisterAgent(TestMaster.AgentRequest(agent));
        Assert.Equal(agent, response!.AgentId);
        Assert.Equal(TaskState.Gone, m.Core.Tasks["web.1"].State);
    }

    [Fact]
    public void RegisterAgent_UnknownIdWithTasks_AdoptsAgentAndTasks()
    {
        var m = new TestMaster();
        var launch = new LaunchTaskRequest
        {
            TaskId = "orphan.1",
            Name = "orphan",
            FrameworkId = "fw-lost",
            FrameworkName = "marathon",
            AgentId = "old-S3",
            Command = new CommandInfo { Value = "sleep 1" },
            Resources = new ResourceSet { Cpus = 1, Mem = 64 },
        };
        var (response, error) = m.Core.RegisterAgent(TestMaster.AgentRequest("old-S3", tasks:
            [new ReportedTask { Launch = launch, LatestStatus = m.Status("orphan.1", "fw-lost", "old-S3", TaskState.Running) }]));
        Assert.Null(error);
        Assert.Equal("old-S3", response!.AgentId);
        Assert.Equal(TaskState.Running, m.Core.Tasks["orphan.1"].State);
        Assert.Equal("marathon", m.Core.Frameworks["fw-lost"].Name);
        Assert.Equal(1, m.Core.Allocator.AllocationOf("old-S3", "fw-lost").Total.Cpus);
    }
}
