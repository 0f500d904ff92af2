using System.Diagnostics;
using Minuet.ControlPlane.Agent.Network;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.TestSupport;

namespace Minuet.IntegrationTests.ControlPlane;

/// <summary>A task on the agent's task network shows its own IP in /master/state (what DNS netinfo and container VIPs read).</summary>
public sealed class TaskNetworkClusterTests
{
    [NetnsFact]
    public async Task Launch_OnTaskNetwork_MasterStateCarriesTheTaskIpInNetworkInfos()
    {
        string suffix = Guid.NewGuid().ToString("N")[..6];
        string hostNs = "mitest-h-" + suffix;
        var network = new TaskNetworkOptions { HostNetns = hostNs, Subnet = "198.19.201.0/24", NamespacePrefix = "mit" + suffix + "-" };
        Assert.Equal(0, await Ip("netns", "add", hostNs));
        try
        {
            await using var cluster = await LoopbackCluster.StartAsync(network);
            var framework = await TestFramework.SubscribeAsync(cluster.Master.Master);
            await framework.LaunchAsync(cluster.Agent(0).Runtime.AgentId!, "netinfo.1", "sleep 60",
                container: new ContainerInfo { NetworkInfos = [new NetworkInfo { Name = "minuet" }] });
            await framework.WaitForStateAsync("netinfo.1", "TASK_RUNNING");

            var task = (await cluster.StateTaskAsync("netinfo.1"))!.Value;
            var running = task.GetProperty("statuses").EnumerateArray().Last(s => s.GetProperty("state").GetString() == "TASK_RUNNING");
            var info = running.GetProperty("container_status").GetProperty("network_infos")[0];
            string ip = info.GetProperty("ip_addresses")[0].GetProperty("ip_address").GetString()!;

            Assert.StartsWith("198.19.201.", ip, StringComparison.Ordinal);
            Assert.Null(cluster.Master.Master.Kill(framework.Id, new KillRequest { TaskId = "netinfo.1" }));
            await framework.WaitForStateAsync("netinfo.1", "TASK_KILLED");
            Assert.Empty(Directory.GetFiles("/var/run/netns", network.NamespacePrefix + "*"));
        }
        finally
        {
            foreach (var leftover in Directory.Exists("/var/run/netns") ? Directory.GetFiles("/var/run/netns", network.NamespacePrefix + "*") : [])
            {
                await Ip("netns", "del", Path.GetFileName(leftover));
            }

            await Ip("netns", "del", hostNs);
        }
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
