using Minuet.ControlPlane.Agent.Processes;
using Minuet.ControlPlane.Master;

namespace Minuet.IntegrationTests.ControlPlane;

/// <summary>A master and two agents on 127.0.0.1: launch, run, kill, agent loss and return, master restart.</summary>
public sealed class ClusterTests
{
    [Fact]
    public async Task Launch_TaskOnEachAgent_RunsAndAppearsInMasterStateWithAgentAddress()
    {
        await using var cluster = await LoopbackCluster.StartAsync();
        var framework = await TestFramework.SubscribeAsync(cluster.Master.Master);
        string a0 = cluster.Agent(0).Runtime.AgentId!;
        string a1 = cluster.Agent(1).Runtime.AgentId!;

        await framework.LaunchAsync(a0, "web.1", "echo \"port=$PORT0\"; sleep 60");
        await framework.LaunchAsync(a1, "web.2", "sleep 60");
        await framework.WaitForStateAsync("web.1", "TASK_RUNNING");
        await framework.WaitForStateAsync("web.2", "TASK_RUNNING");

        var task = (await cluster.StateTaskAsync("web.1"))!.Value;
        Assert.Equal("TASK_RUNNING", task.GetProperty("state").GetString());
        Assert.Equal(a0, task.GetProperty("slave_id").GetString());
        Assert.Equal("[31000-31000]", task.GetProperty("resources").GetProperty("ports").GetString());
        var running = task.GetProperty("statuses").EnumerateArray().Last(s => s.GetProperty("state").GetString() == "TASK_RUNNING");
        Assert.Equal("127.0.0.1", running.GetProperty("container_status").GetProperty("network_infos")[0]
            .GetProperty("ip_addresses")[0].GetProperty("ip_address").GetString());
        Assert.Equal(a1, (await cluster.StateTaskAsync("web.2"))!.Value.GetProperty("slave_id").GetString());
        Assert.Equal("port=31000\n", await ReadStdoutEventuallyAsync(cluster, 0, "web.1"));
    }

    [Fact]
    public async Task Kill_RunningTask_FrameworkSeesKilledAndProcessGroupIsGone()
    {
        await using var cluster = await LoopbackCluster.StartAsync();
        var framework = await TestFramework.SubscribeAsync(cluster.Master.Master);
        string a0 = cluster.Agent(0).Runtime.AgentId!;
        await framework.LaunchAsync(a0, "kill.1", "sleep 60");
        await framework.WaitForStateAsync("kill.1", "TASK_RUNNING");
        int pid = cluster.Agent(0).Runtime.TaskPid("kill.1")!.Value;

        Assert.Null(cluster.Master.Master.Kill(framework.Id, new KillRequest { TaskId = "kill.1" }));
        var killed = await framework.WaitForStateAsync("kill.1", "TASK_KILLED");

        Assert.Equal(a0, killed.AgentId);
        Assert.False(ProcStat.GroupHasLiveMembers(pid));
        await LoopbackCluster.WaitAsync(async () => (await cluster.StateTaskAsync("kill.1"))?.GetProperty("state").GetString() == "TASK_KILLED", "state shows KILLED");
    }

    [Fact]
    public async Task Exit_FailingCommand_FrameworkSeesFailedWithExitCodeExactlyOnce()
    {
        await using var cluster = await LoopbackCluster.StartAsync();
        var framework = await TestFramework.SubscribeAsync(cluster.Master.Master);
        await framework.LaunchAsync(cluster.Agent(1).Runtime.AgentId!, "fail.1", "sleep 0.2; exit 3");

        var failed = await framework.WaitForStateAsync("fail.1", "TASK_FAILED");
        await Task.Delay(500);

        Assert.Equal(3, failed.ExitCode);
        Assert.Single(framework.Updates("fail.1"), u => u.State == "TASK_FAILED");
    }

    [Fact]
    public async Task AgentLoss_AgentStopsThenReturns_TaskUnreachableThenRunningAgain()
    {
        await using var cluster = await LoopbackCluster.StartAsync();
        var framework = await TestFramework.SubscribeAsync(cluster.Master.Master);
        string a0 = cluster.Agent(0).Runtime.AgentId!;
        await framework.LaunchAsync(a0, "lost.1", "sleep 60");
        await framework.WaitForStateAsync("lost.1", "TASK_RUNNING");
        int pid = cluster.Agent(0).Runtime.TaskPid("lost.1")!.Value;

        await cluster.StopAgentAsync(0);
        var lost = await WaitForAnyAsync(framework, "lost.1", "TASK_UNREACHABLE", "TASK_LOST");
        Assert.True(ProcStat.GroupHasLiveMembers(pid), "the task keeps running while its agent is away");

        await cluster.StartAgentAsync(0);
        await LoopbackCluster.WaitAsync(() => cluster.Agent(0).Connection.IsRegistered, "agent 0 re-registered");

        Assert.Equal(a0, cluster.Agent(0).Runtime.AgentId);
        Assert.Equal(pid, cluster.Agent(0).Runtime.TaskPid("lost.1"));
        await LoopbackCluster.WaitAsync(async () => (await cluster.StateTaskAsync("lost.1"))?.GetProperty("state").GetString() == "TASK_RUNNING",
            $"task running again after {lost.State}");
        Assert.Null(cluster.Master.Master.Kill(framework.Id, new KillRequest { TaskId = "lost.1" }));
        await framework.WaitForStateAsync("lost.1", "TASK_KILLED");
    }

    [Fact]
    public async Task MasterRestart_TasksSurviveAndAreStillControllable()
    {
        await using var cluster = await LoopbackCluster.StartAsync();
        var framework = await TestFramework.SubscribeAsync(cluster.Master.Master);
        string a1 = cluster.Agent(1).Runtime.AgentId!;
        await framework.LaunchAsync(a1, "survive.1", "sleep 60");
        await framework.WaitForStateAsync("survive.1", "TASK_RUNNING");

        await cluster.StopMasterAsync();
        await Task.Delay(700);
        await cluster.StartMasterAsync();
        var again = await TestFramework.SubscribeAsync(cluster.Master.Master, framework.Id);
        await LoopbackCluster.WaitAsync(async () => (await cluster.StateTaskAsync("survive.1"))?.GetProperty("state").GetString() == "TASK_RUNNING",
            "task running at the restarted master");
        await LoopbackCluster.WaitAsync(async () =>
        {
            using var state = await cluster.StateAsync();
            return state.RootElement.GetProperty("slaves").EnumerateArray().Count(s => s.GetProperty("active").GetBoolean()) == 2;
        }, "both agents active at the restarted master");

        Assert.Equal(a1, cluster.Agent(1).Runtime.AgentId);
        Assert.Null(cluster.Master.Master.Kill(again.Id, new KillRequest { TaskId = "survive.1" }));
        await again.WaitForStateAsync("survive.1", "TASK_KILLED");
    }

    [Fact]
    public async Task HealthCheck_TcpCheckPasses_HealthyReachesFrameworkAndMasterState()
    {
        await using var cluster = await LoopbackCluster.StartAsync();
        var framework = await TestFramework.SubscribeAsync(cluster.Master.Master);
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        int port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        var check = new Minuet.ControlPlane.Protocol.HealthCheck
        {
            Type = "TCP", Tcp = new Minuet.ControlPlane.Protocol.TcpCheck { Port = port },
            IntervalSeconds = 0.2, TimeoutSeconds = 1, GracePeriodSeconds = 10,
        };

        await framework.LaunchAsync(cluster.Agent(0).Runtime.AgentId!, "healthy.1", "sleep 60", check);
        await LoopbackCluster.WaitAsync(() => framework.Updates("healthy.1").Any(u => u.Healthy == true), "healthy update at the framework");
        await LoopbackCluster.WaitAsync(async () =>
        {
            var task = await cluster.StateTaskAsync("healthy.1");
            return task is { } t && t.GetProperty("statuses").EnumerateArray().Any(s => s.TryGetProperty("healthy", out var h) && h.GetBoolean());
        }, "statuses[].healthy in /master/state");

        Assert.DoesNotContain(framework.Updates("healthy.1"), u => u.Healthy == false);
    }

    private static async Task<Minuet.ControlPlane.Master.SchedulerStatus> WaitForAnyAsync(TestFramework framework, string taskId, params string[] states)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            var found = framework.Updates(taskId).FirstOrDefault(u => states.Contains(u.State));
            if (found is not null)
            {
                return found;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"none of {string.Join("/", states)} for {taskId}");
    }

    private static async Task<string> ReadStdoutEventuallyAsync(LoopbackCluster cluster, int agent, string taskId)
    {
        string file = Path.Combine(cluster.Agent(agent).Runtime.Store.Sandbox(taskId), "stdout");
        for (int i = 0; i < 200; i++)
        {
            if (File.Exists(file) && (await File.ReadAllTextAsync(file)).EndsWith('\n'))
            {
                return await File.ReadAllTextAsync(file);
            }

            await Task.Delay(25);
        }

        return File.Exists(file) ? await File.ReadAllTextAsync(file) : "<no stdout>";
    }
}
