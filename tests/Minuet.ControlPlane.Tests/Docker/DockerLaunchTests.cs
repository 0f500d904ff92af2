using System.Net;
using System.Net.Sockets;
using System.Text;
using Minuet.ControlPlane.Agent.Network;
using Minuet.ControlPlane.Agent.Runtime;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Tests.Agent;

namespace Minuet.ControlPlane.Tests.Docker;

/// <summary>Docker launches on a real daemon: states, addresses, port publishing, logs, environment, image errors.</summary>
[Collection(DockerDaemonGroup.Name)]
public sealed class DockerLaunchTests(DockerDaemonFixture daemon)
{
    [DockerFact]
    public async Task Launch_BridgeHttpd_RunningWithContainerIpAndServesOnMappedHostPort()
    {
        await using var agent = new DockerTestAgent(daemon);
        int hostPort = Random.Shared.Next(20000, 30000);
        var launch = DockerTestAgent.Launch("exec httpd -f -p 80 -h /www", mappings: [new PortMapping { HostPort = hostPort, ContainerPort = 80 }],
            ports: [new PortRange(hostPort, hostPort)]);

        Assert.Equal(LaunchOutcomeKind.Accepted, agent.Harness.Runtime.Launch(launch).Kind);
        var running = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_RUNNING");

        var network = Assert.Single(running.ContainerStatus!.NetworkInfos);
        string ip = Assert.Single(network.IpAddresses).IpAddress;
        Assert.StartsWith("198.18.200.", ip, StringComparison.Ordinal);
        Assert.Equal(hostPort, Assert.Single(network.PortMappings).HostPort);
        var inspect = await agent.InspectAsync(launch.TaskId);
        Assert.Equal(launch.TaskId, inspect.Config!.Labels!["minuet.task_id"]);
        Assert.Equal(ip, inspect.NetworkSettings!.Networks!["bridge"].IPAddress);

        string answer = await HttpGetInNetnsAsync(daemon.Netns, IPAddress.Loopback, hostPort);
        Assert.Contains("hello from busybox", answer, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task Launch_UserNetwork_ReportsTheNetworksNameAndContainerIp()
    {
        await using var agent = new DockerTestAgent(daemon);
        var launch = DockerTestAgent.Launch("while true; do sleep 0.1; done", network: "USER");
        launch = launch with { Container = launch.Container! with { NetworkInfos = [new NetworkInfo { Name = DockerDaemonFixture.UserNetwork }] } };

        agent.Harness.Runtime.Launch(launch);
        var running = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_RUNNING");

        var network = Assert.Single(running.ContainerStatus!.NetworkInfos);
        Assert.Equal(DockerDaemonFixture.UserNetwork, network.Name);
        Assert.StartsWith("198.18.2", Assert.Single(network.IpAddresses).IpAddress, StringComparison.Ordinal);
        Assert.Equal(network.IpAddresses[0].IpAddress,
            (await agent.InspectAsync(launch.TaskId)).NetworkSettings!.Networks![DockerDaemonFixture.UserNetwork].IPAddress);
    }

    [DockerFact]
    public async Task Launch_ContainerExitsZero_FinishedWithStdoutStderrAndTaskEnvironment()
    {
        await using var agent = new DockerTestAgent(daemon);
        var launch = DockerTestAgent.Launch("echo id=$MESOS_TASK_ID port=$PORT0 host=$HOST sandbox=$MESOS_SANDBOX; echo to-stderr >&2",
            network: "HOST", ports: [new PortRange(31005, 31005)]);

        agent.Harness.Runtime.Launch(launch);
        var finished = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_FINISHED");

        Assert.Equal(0, finished.ExitCode);
        Assert.Equal(["TASK_STARTING", "TASK_RUNNING", "TASK_FINISHED"], agent.Sink.For(launch.TaskId).Select(u => u.State));
        Assert.Equal($"id={launch.TaskId} port=31005 host=agent-test sandbox=/mnt/mesos/sandbox\n", agent.Harness.ReadStdout(launch.TaskId));
        Assert.Equal("to-stderr\n", File.ReadAllText(Path.Combine(agent.Harness.Runtime.Store.Sandbox(launch.TaskId), "stderr")));
        Assert.Equal("127.0.0.1", finished.ContainerStatus!.NetworkInfos[0].IpAddresses[0].IpAddress);
    }

    [DockerFact]
    public async Task Launch_ArgsWithoutShell_BecomeTheContainersArguments()
    {
        await using var agent = new DockerTestAgent(daemon);
        var launch = DockerTestAgent.Launch(null) with { Command = new CommandInfo { Shell = false, Arguments = ["echo", "a b", "c"] } };

        agent.Harness.Runtime.Launch(launch);
        await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_FINISHED");

        Assert.Equal("a b c\n", agent.Harness.ReadStdout(launch.TaskId));
    }

    [DockerFact]
    public async Task Launch_ContainerExitsThree_FailedWithExitStatusAndContainerRemoved()
    {
        await using var agent = new DockerTestAgent(daemon);
        var launch = DockerTestAgent.Launch("exit 3");

        agent.Harness.Runtime.Launch(launch);
        var failed = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_FAILED");

        Assert.Equal(3, failed.ExitCode);
        Assert.Equal("Container exited with status 3", failed.Message);
        Assert.Equal(TaskStatusReasons.CommandExecutorFailed, failed.Reason);
        var gone = await agent.Engine.InspectContainerAsync(Minuet.ControlPlane.Agent.Docker.DockerNames.ContainerName(launch.TaskId), CancellationToken.None);
        Assert.True(gone.NotFound, gone.Error ?? "the container is still there");
    }

    [DockerFact]
    public async Task Launch_ImageNotPresentAndNoRegistry_FailedNamingTheImage()
    {
        await using var agent = new DockerTestAgent(daemon);
        var launch = DockerTestAgent.Launch("true", image: "minuet-test/absent:9");

        agent.Harness.Runtime.Launch(launch);
        var failed = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_FAILED", TimeSpan.FromSeconds(60));

        Assert.Equal(TaskStatusReasons.ContainerLaunchFailed, failed.Reason);
        Assert.StartsWith("image 'minuet-test/absent:9' is not present on this agent and cannot be pulled: ", failed.Message, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task Launch_ForcePullOffline_FailedSayingThePullFailed()
    {
        await using var agent = new DockerTestAgent(daemon);
        var launch = DockerTestAgent.Launch("true");
        launch = launch with { Container = launch.Container! with { Docker = launch.Container.Docker! with { ForcePullImage = true } } };

        agent.Harness.Runtime.Launch(launch);
        var failed = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_FAILED", TimeSpan.FromSeconds(60));

        Assert.StartsWith($"image '{DockerDaemonFixture.Image}' could not be pulled (force_pull_image is set): ", failed.Message, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task Launch_PrivilegedWithoutPermission_FailedWithFlagToSet()
    {
        await using var agent = new DockerTestAgent(daemon);
        var launch = DockerTestAgent.Launch("true");
        launch = launch with { Container = launch.Container! with { Docker = launch.Container.Docker! with { Privileged = true } } };

        agent.Harness.Runtime.Launch(launch);
        var failed = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_FAILED");

        Assert.Contains("--docker-allow-privileged", failed.Message, StringComparison.Ordinal);
    }

    [DockerFact]
    public async Task Launch_OverMemoryLimit_FailedAsOomKill()
    {
        await using var agent = new DockerTestAgent(daemon);

        // 32 MiB limit (the minimum); dd holds a 256 MiB buffer filled from /dev/zero.
        var launch = DockerTestAgent.Launch("dd if=/dev/zero of=/dev/null bs=256M count=1", mem: 32);

        agent.Harness.Runtime.Launch(launch);
        var failed = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_FAILED", TimeSpan.FromSeconds(60));

        Assert.Equal(TaskStatusReasons.ContainerLimitationMemory, failed.Reason);
        Assert.StartsWith("Memory limit exceeded: the kernel OOM-killed the container", failed.Message, StringComparison.Ordinal);
    }

    /// <summary>
    /// An HTTP GET made from inside the daemon's namespace, where its port publishing lives; retried while the
    /// server is still starting (docker-proxy accepts and closes until the container listens).
    /// </summary>
    internal static async Task<string> HttpGetInNetnsAsync(string netns, IPAddress address, int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while (true)
        {
            try
            {
                using var socket = NetnsSockets.CreateTcp(netns);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await socket.ConnectAsync(new IPEndPoint(address, port), timeout.Token);
                await socket.SendAsync("GET / HTTP/1.0\r\n\r\n"u8.ToArray(), SocketFlags.None, timeout.Token);
                var buffer = new byte[4096];
                var text = new StringBuilder();
                int read;
                while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token)) > 0)
                {
                    text.Append(Encoding.ASCII.GetString(buffer, 0, read));
                }

                if (text.Length > 0 || DateTime.UtcNow > deadline)
                {
                    return text.ToString();
                }
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
            }

            await Task.Delay(100);
        }
    }
}
