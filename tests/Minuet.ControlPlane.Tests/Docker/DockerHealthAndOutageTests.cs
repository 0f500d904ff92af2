using System.Net;
using Minuet.ControlPlane.Agent;
using Minuet.ControlPlane.Agent.Configuration;
using Minuet.ControlPlane.Agent.Docker;
using Minuet.ControlPlane.Agent.Runtime;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Tests.Agent;

namespace Minuet.ControlPlane.Tests.Docker;

/// <summary>Health checks that reach into containers, and an agent whose Docker daemon is down.</summary>
[Collection(DockerDaemonGroup.Name)]
public sealed class DockerHealthAndOutageTests(DockerDaemonFixture daemon)
{
    [DockerFact]
    public async Task HealthCheck_Command_RunsInsideTheContainer()
    {
        await using var agent = new DockerTestAgent(daemon);
        string marker = "/tmp/minuet-only-in-container-" + Guid.NewGuid().ToString("N")[..8];
        var pass = new HealthCheck { Type = "COMMAND", Command = new CommandCheck { Value = $"test -f {marker}" }, IntervalSeconds = 0.2, TimeoutSeconds = 5, GracePeriodSeconds = 0 };
        var launch = DockerTestAgent.Launch($"touch {marker}; while true; do sleep 0.1; done", check: pass);

        agent.Harness.Runtime.Launch(launch);
        await agent.Sink.WaitForAsync(launch.TaskId, u => u.Healthy == true);

        Assert.False(File.Exists(marker));
    }

    [DockerFact]
    public async Task HealthCheck_CommandFailingInsideTheContainer_ReportsUnhealthyWithItsStatus()
    {
        await using var agent = new DockerTestAgent(daemon);
        var fail = new HealthCheck { Type = "COMMAND", Command = new CommandCheck { Value = "exit 4" }, IntervalSeconds = 0.2, TimeoutSeconds = 5, GracePeriodSeconds = 0, ConsecutiveFailures = 1 };
        var launch = DockerTestAgent.Launch("while true; do sleep 0.1; done", check: fail);

        agent.Harness.Runtime.Launch(launch);
        var unhealthy = await agent.Sink.WaitForAsync(launch.TaskId, u => u.Healthy == false);

        Assert.Contains("status 4", unhealthy.Message, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task HealthCheck_HttpOnMappedHostPort_Healthy()
    {
        await using var agent = new DockerTestAgent(daemon);
        int hostPort = Random.Shared.Next(20000, 30000);
        var check = new HealthCheck { Type = "HTTP", Http = new HttpCheck { Port = hostPort }, IntervalSeconds = 0.2, TimeoutSeconds = 2, GracePeriodSeconds = 30 };
        var launch = DockerTestAgent.Launch("exec httpd -f -p 80 -h /www", mappings: [new PortMapping { HostPort = hostPort, ContainerPort = 80 }],
            ports: [new PortRange(hostPort, hostPort)], check: check);

        agent.Harness.Runtime.Launch(launch);

        await agent.Sink.WaitForAsync(launch.TaskId, u => u.Healthy == true);
    }

    [DockerFact]
    public async Task HealthCheck_TcpOnUnpublishedPort_ReachesTheContainerIp()
    {
        await using var agent = new DockerTestAgent(daemon);
        var check = new HealthCheck { Type = "TCP", Tcp = new TcpCheck { Port = 8080 }, IntervalSeconds = 0.2, TimeoutSeconds = 2, GracePeriodSeconds = 30 };
        var launch = DockerTestAgent.Launch("exec httpd -f -p 8080 -h /www", check: check);

        agent.Harness.Runtime.Launch(launch);

        await agent.Sink.WaitForAsync(launch.TaskId, u => u.Healthy == true);
    }

    [DockerFact]
    public async Task Launch_DockerDaemonDown_DockerTaskFailsWithReasonProcessTaskRunsAndStateSaysWhy()
    {
        string workDir = Path.Combine(Path.GetTempPath(), "minuet-docker-down-" + Guid.NewGuid().ToString("N")[..8]);
        string socket = Path.Combine(workDir, "no-daemon.sock");
        var (host, error) = await AgentHost.StartAsync(new AgentHostOptions
        {
            Master = new Uri("http://127.0.0.1:1"),
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            AdvertiseIp = "127.0.0.1",
            Resources = new AgentResources(new ResourceSet { Cpus = 1, Mem = 256 }, new Dictionary<string, ResourceSet>()),
            Runtime = new AgentRuntimeOptions
            {
                WorkDir = workDir,
                Hostname = "agent-docker-down",
                Address = "127.0.0.1",
                CgroupRoot = null,
                Docker = new DockerOptions { Enabled = true, Socket = socket },
            },
        });
        Assert.True(host is not null, error);
        await using (host)
        {
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{host.Port}") };
            var docker = DockerTestAgent.Launch("true") with { AgentId = "any" };
            var process = AgentHarness.Shell("sleep 30") with { AgentId = "any" };
            foreach (var launch in new[] { docker, process })
            {
                var response = await http.PostAsync(ProtocolRoutes.LaunchTask,
                    new StringContent(System.Text.Json.JsonSerializer.Serialize(launch, ProtocolJsonContext.Default.LaunchTaskRequest), System.Text.Encoding.UTF8, "application/json"));
                Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            }

            var failed = await WaitForAsync(host.Runtime, docker.TaskId, "TASK_FAILED");
            await WaitForAsync(host.Runtime, process.TaskId, "TASK_RUNNING");
            var state = System.Text.Json.JsonSerializer.Deserialize(await http.GetStringAsync(ProtocolRoutes.AgentState), ProtocolJsonContext.Default.AgentStateResponse)!;

            Assert.Equal(TaskStatusReasons.ContainerLaunchFailed, failed.Reason);
            Assert.Contains($"the Docker daemon at {socket} does not answer", failed.Message, StringComparison.Ordinal);
            Assert.False(state.Docker!.Available);
            Assert.True(state.Docker.Enabled);
            Assert.Contains(socket, state.Docker.Reason, StringComparison.Ordinal);
            Assert.Equal("mesos,docker", state.Flags!["containerizers"]);
            host.Runtime.Kill(process.TaskId, 0);
            await WaitForAsync(host.Runtime, process.TaskId, "TASK_KILLED");
        }

        Directory.Delete(workDir, recursive: true);
    }

    private static async Task<TaskStatusUpdate> WaitForAsync(AgentRuntime runtime, string taskId, string state)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (DateTime.UtcNow < deadline)
        {
            if (runtime.LatestStatus(taskId) is { } status && status.State == state)
            {
                return status;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"{taskId} never reached {state}; latest {runtime.LatestStatus(taskId)?.State}");
    }
}
