using System.Net;
using System.Net.Sockets;
using Minuet.TestSupport;
using static Minuet.IntegrationTests.L4lb.ClusterStates;

namespace Minuet.IntegrationTests.L4lb;

/// <summary>
/// A restart after kill -9 finds the rules and the set of the killed run in place, so SYNs to its VIPs reach the
/// new process's queue before that process has a VIP table. Such a SYN must wait for the first table, not be
/// refused against an empty one.
/// </summary>
public sealed class FirstTableNetnsTests
{
    private static readonly IPEndPoint Vip = IPEndPoint.Parse("198.19.0.10:80");

    [NetnsFact]
    public async Task Connect_SynBeforeFirstTable_WaitsAndIsServedNotRefused()
    {
        using var topology = L4lbTopology.Create();
        await using var balancer = await NetnsBalancer.StartAsync(topology);

        // What the killed run left in the set.
        topology.InClient("ipset add minuet-vips 198.19.0.10,tcp:80");
        var connecting = topology.ConnectAsync(Vip, TimeSpan.FromSeconds(5));
        await System.Threading.Tasks.Task.Delay(300);
        Assert.False(connecting.IsCompleted, "the SYN was answered before any VIP table existed");

        await balancer.ApplyAsync(State(Task("t1", 0, "198.19.0.10:80")), CancellationToken.None);
        var (name, error, elapsed) = await connecting;

        Assert.Equal(SocketError.Success, error);
        Assert.Equal("backend-1", name);
        Assert.True(elapsed < TimeSpan.FromSeconds(1), $"served only after {elapsed}: the SYN was dropped and retransmitted");
    }
}
