using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Minuet.ControlPlane.Agent.Network;
using Minuet.ControlPlane.Protocol;
using Minuet.TestSupport;

namespace Minuet.ControlPlane.Tests.Agent;

/// <summary>
/// Task networks inside a namespace the test creates: the bridge lives in that "host" namespace (never in the
/// root one), each task gets its own namespace and 198.19.x address behind it. No route leads out.
/// </summary>
public sealed class TaskNetworkTests
{
    [NetnsFact]
    public async Task Launch_WithTaskNetwork_TaskGetsOwnIpReportedAndReachableThenCleanedUp()
    {
        string suffix = Guid.NewGuid().ToString("N")[..6];
        string hostNs = "mtest-h-" + suffix;
        var options = new TaskNetworkOptions
        {
            HostNetns = hostNs,
            Bridge = "minuet0",
            Subnet = "198.19.200.0/24",
            NamespacePrefix = "mtt" + suffix + "-",
        };
        Assert.Equal(0, await Ip("netns", "add", hostNs));
        Socket? listener = null;
        string? taskNs = null;
        try
        {
            await using var agent = new AgentHarness(network: options);
            var check = new HealthCheck
            {
                Type = "TCP", Tcp = new TcpCheck { Port = 8080 }, IntervalSeconds = 0.1, TimeoutSeconds = 1, GracePeriodSeconds = 30,
            };
            var launch = AgentHarness.Shell("ip -4 -o addr show dev eth0; echo ready; sleep 60", check: check) with
            {
                Container = new ContainerInfo { NetworkInfos = [new NetworkInfo { Name = "minuet" }] },
            };

            agent.Runtime.Launch(launch);
            await agent.WaitForPidAsync(launch.TaskId);
            var running = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_RUNNING");
            await AgentRuntimeProcessTests.WaitForOutputAsync(agent, launch.TaskId, "ready");
            var network = Assert.Single(running.ContainerStatus!.NetworkInfos);
            string ip = Assert.Single(network.IpAddresses).IpAddress;
            taskNs = options.NamespacePrefix + Convert.ToHexStringLower(
                System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(launch.TaskId)))[..10];

            // The task saw its own address on eth0 inside its namespace.
            Assert.Equal("minuet", network.Name);
            Assert.StartsWith("198.19.200.", ip, StringComparison.Ordinal);
            Assert.Contains($"inet {ip}/24", agent.ReadStdout(launch.TaskId), StringComparison.Ordinal);

            // A listener in the task's namespace on its IP: the agent's probe (made inside the task namespace)
            // and a connection from the host namespace across the bridge both reach it.
            listener = NetnsSockets.CreateTcp(taskNs);
            listener.Bind(new IPEndPoint(IPAddress.Parse(ip), 8080));
            listener.Listen();
            var healthy = await agent.Sink.WaitForAsync(launch.TaskId, u => u.Healthy == true);
            using (var client = NetnsSockets.CreateTcp(hostNs))
            {
                await client.ConnectAsync(new IPEndPoint(IPAddress.Parse(ip), 8080)).WaitAsync(TimeSpan.FromSeconds(5));
            }

            Assert.Equal(ip, healthy.ContainerStatus!.NetworkInfos[0].IpAddresses[0].IpAddress);
            listener.Dispose();
            listener = null;
            agent.Runtime.Kill(launch.TaskId, 0);
            await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_KILLED");

            Assert.False(File.Exists(Path.Combine("/var/run/netns", taskNs)), "the task namespace is removed when the task ends");
        }
        finally
        {
            listener?.Dispose();
            if (taskNs is not null)
            {
                await Ip("netns", "del", taskNs);
            }

            await Ip("netns", "del", hostNs);
        }
    }

    [NetnsFact]
    public async Task Recover_TaskNetworkTaskAcrossAgentRestart_KeepsItsAddressAndCleansUpOnKill()
    {
        string suffix = Guid.NewGuid().ToString("N")[..6];
        string hostNs = "mtest-h-" + suffix;
        var options = new TaskNetworkOptions { HostNetns = hostNs, Subnet = "198.19.202.0/24", NamespacePrefix = "mtr" + suffix + "-" };
        Assert.Equal(0, await Ip("netns", "add", hostNs));
        try
        {
            await using var agent = new AgentHarness(network: options);
            var first = NetworkLaunch();
            agent.Runtime.Launch(first);
            await agent.WaitForPidAsync(first.TaskId);
            string firstIp = IpOf(await agent.Sink.WaitForStateAsync(first.TaskId, "TASK_RUNNING"));

            Assert.Equal(1, await agent.RestartAsync());
            var second = NetworkLaunch();
            agent.Runtime.Launch(second);
            await agent.WaitForPidAsync(second.TaskId);
            string secondIp = IpOf(await agent.Sink.WaitForStateAsync(second.TaskId, "TASK_RUNNING"));
            agent.Runtime.Kill(first.TaskId, 0);
            agent.Runtime.Kill(second.TaskId, 0);
            await agent.Sink.WaitForStateAsync(first.TaskId, "TASK_KILLED");
            await agent.Sink.WaitForStateAsync(second.TaskId, "TASK_KILLED");

            Assert.NotEqual(firstIp, secondIp);
            Assert.Empty(Directory.GetFiles("/var/run/netns", options.NamespacePrefix + "*"));
        }
        finally
        {
            foreach (var leftover in Directory.GetFiles("/var/run/netns", options.NamespacePrefix + "*"))
            {
                await Ip("netns", "del", Path.GetFileName(leftover));
            }

            await Ip("netns", "del", hostNs);
        }

        static LaunchTaskRequest NetworkLaunch() => AgentHarness.Shell("sleep 60") with
        {
            Container = new ContainerInfo { NetworkInfos = [new NetworkInfo { Name = "minuet" }] },
        };

        static string IpOf(TaskStatusUpdate update) => update.ContainerStatus!.NetworkInfos[0].IpAddresses[0].IpAddress;
    }

    [Fact]
    public async Task Launch_AskingForNetworkOnAgentWithout_FailsWithContainerLaunchFailed()
    {
        await using var agent = new AgentHarness();
        var launch = AgentHarness.Shell("true") with
        {
            Container = new ContainerInfo { NetworkInfos = [new NetworkInfo { Name = "minuet" }] },
        };

        agent.Runtime.Launch(launch);
        var failed = await agent.Sink.WaitForStateAsync(launch.TaskId, "TASK_FAILED");

        Assert.Equal(TaskStatusReasons.ContainerLaunchFailed, failed.Reason);
        Assert.Contains("--task-network", failed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Subnet_Allocation_SkipsNetworkGatewayAndBroadcastAndReusesReleased()
    {
        var subnet = Ipv4Subnet.Parse("198.19.200.0/29").Subnet!;

        var all = Enumerable.Range(0, 6).Select(_ => subnet.Allocate()).ToList();

        Assert.Equal("198.19.200.1", subnet.Gateway.ToString());
        Assert.Equal(["198.19.200.2", "198.19.200.3", "198.19.200.4", "198.19.200.5", "198.19.200.6", null], all.Select(a => a?.ToString()));
        subnet.Release(IPAddress.Parse("198.19.200.4"));
        Assert.Equal("198.19.200.4", subnet.Allocate()!.ToString());
        Assert.False(subnet.Reserve(IPAddress.Parse("198.19.200.7")));
        Assert.NotNull(Ipv4Subnet.Parse("10.0.0.0/33").Error);
    }

    private static async Task<int> Ip(params string[] args)
    {
        var info = new ProcessStartInfo("ip") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        await process.WaitForExitAsync();
        return process.ExitCode;
    }
}
