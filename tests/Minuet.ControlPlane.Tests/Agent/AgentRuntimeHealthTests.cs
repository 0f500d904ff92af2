using System.Net;
using System.Net.Sockets;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Tests.Agent;

public sealed class AgentRuntimeHealthTests
{
    [Fact]
    public async Task HealthCheck_TcpTargetUpThenDown_ReportsHealthyThenUnhealthyThenKills()
    {
        await using var agent = new AgentHarness();
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var check = new HealthCheck
        {
            Type = "TCP", Tcp = new TcpCheck { Port = port }, IntervalSeconds = 0.1, TimeoutSeconds = 1,
            GracePeriodSeconds = 0, ConsecutiveFailures = 3, KillOnUnhealthy = true,
        };
        var launch = AgentHarness.Shell("sleep 60", check: check);

        agent.Runtime.Launch(launch);
        await agent.WaitForPidAsync(launch.TaskId);
        var healthy = await agent.Sink.WaitForAsync(launch.TaskId, u => u.Healthy == true);
        listener.Stop();
        var unhealthy = await agent.Sink.WaitForAsync(launch.TaskId, u => u.Healthy == false && u.State == "TASK_RUNNING");
        var killed = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_KILLED");

        Assert.Equal("TASK_RUNNING", healthy.State);
        Assert.Equal(TaskStatusReasons.HealthCheckStatusUpdated, healthy.Reason);
        Assert.Equal(TaskStatusReasons.HealthCheckStatusUpdated, unhealthy.Reason);
        Assert.Equal(TaskStatusReasons.HealthCheckStatusUpdated, killed.Reason);
        Assert.False(killed.Healthy);
        listener.Dispose();
    }

    [Fact]
    public async Task HealthCheck_CommandInSandbox_SeesTaskEnvironment()
    {
        await using var agent = new AgentHarness();
        var check = new HealthCheck
        {
            Type = "COMMAND", Command = new CommandCheck { Value = "test \"$MESOS_TASK_ID\" != '' && test -f ready" },
            IntervalSeconds = 0.1, TimeoutSeconds = 2, GracePeriodSeconds = 30,
        };
        var launch = AgentHarness.Shell("sleep 0.3; touch ready; sleep 60", check: check);

        agent.Runtime.Launch(launch);
        await agent.WaitForPidAsync(launch.TaskId);
        var healthy = await agent.Sink.WaitForAsync(launch.TaskId, u => u.Healthy == true);

        Assert.DoesNotContain(agent.Sink.For(launch.TaskId), u => u.Healthy == false);
        Assert.Equal("TASK_RUNNING", healthy.State);
        agent.Runtime.Kill(launch.TaskId, 0);
        await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_KILLED");
    }
}
