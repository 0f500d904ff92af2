using System.Net;
using System.Net.Sockets;
using Minuet.DataPlane.L4lb;
using Minuet.TestSupport;
using static Minuet.IntegrationTests.L4lb.ClusterStates;

namespace Minuet.IntegrationTests.L4lb;

/// <summary>
/// <c>--fail-open</c> with the balancer running: a VIP that lost its last backend (it lingers in the set) is
/// still refused at once, as without the flag. Only SYNs no reader sees pass un-NATed (<see cref="FailOpenNetnsTests"/>).
/// </summary>
public sealed class FailOpenRefusalNetnsTests
{
    private static readonly IPEndPoint Vip = IPEndPoint.Parse("198.19.0.10:80");

    [NetnsFact]
    public async Task Connect_FailOpenVipWithoutBackend_RefusedAtOnce()
    {
        using var topology = L4lbTopology.Create();
        await using var balancer = await NetnsBalancer.StartAsync(topology, new L4lbOptions { FailOpen = true });
        await balancer.ApplyAsync(State(Task("t1", 0, "198.19.0.10:80")), CancellationToken.None);
        Assert.Equal(SocketError.Success, (await topology.ConnectAsync(Vip)).Error);

        await balancer.ApplyAsync(State(), CancellationToken.None);
        var (_, error, elapsed) = await topology.ConnectAsync(Vip, TimeSpan.FromSeconds(3));

        Assert.Equal(SocketError.ConnectionRefused, error);
        Assert.True(elapsed < TimeSpan.FromMilliseconds(500), $"refused only after {elapsed}");
    }
}
