using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging.Abstractions;
using Minuet.DataPlane.L4lb;
using Minuet.DataPlane.L4lb.Vips;
using Minuet.TestSupport;
using static Minuet.IntegrationTests.L4lb.ClusterStates;

namespace Minuet.IntegrationTests.L4lb;

/// <summary>
/// A client namespace with only /24 routes to the backends and nothing for the VIP range: connect() to a VIP
/// would fail with ENETUNREACH before any SYN reached the queue, unless the balancer routes the range itself.
/// </summary>
public sealed class VipRangeRouteNetnsTests
{
    private static readonly IPEndPoint Vip = IPEndPoint.Parse("198.19.0.10:80");

    private static L4Balancer Create(L4lbTopology topology, string range = "198.19.0.0/16") =>
        new(new L4lbOptions { VipRange = VipRange.Parse(range), QueueCount = 1, ToolNetworkNamespace = topology.Client }, NullLoggerFactory.Instance);

    private static string OurRoutes(L4lbTopology topology) => topology.InClient("ip -4 route show proto 77").Trim();

    [NetnsFact]
    public async Task Connect_NoRouteToVipRange_RouteAddedAndThirtyOfThirtySucceed()
    {
        using var topology = L4lbTopology.Create(routeVips: false);
        var (_, before, _) = await topology.ConnectAsync(Vip, TimeSpan.FromSeconds(2));
        Assert.Equal(SocketError.NetworkUnreachable, before);

        var balancer = Create(topology);
        try
        {
            Assert.Null(await NetnsRunner.Run(topology.Client, () => balancer.StartAsync(CancellationToken.None)));
            await balancer.ApplyAsync(State(Task("t1", 0, "198.19.0.10:80"), Task("t2", 1, "198.19.0.10:80"), Task("t3", 2, "198.19.0.10:80")), CancellationToken.None);

            // The src is the client's address towards a backend, which every backend can answer.
            Assert.Matches(@"^198\.19\.0\.0/16 dev lo .*src 198\.18\.1\.1", OurRoutes(topology));
            var reached = new HashSet<string?>();
            for (int i = 0; i < 30; i++)
            {
                var (name, error, _) = await topology.ConnectAsync(Vip);
                Assert.Equal(SocketError.Success, error);
                reached.Add(name);
            }

            Assert.Equal(["backend-1", "backend-2", "backend-3"], reached.Order());
        }
        finally
        {
            await balancer.DisposeAsync();
        }

        Assert.Equal(string.Empty, OurRoutes(topology));
    }

    [NetnsFact]
    public async Task Start_ExistingRouteCoversRange_LeftAloneAndKeptOnExit()
    {
        using var topology = L4lbTopology.Create(routeVips: true);
        await using (var balancer = Create(topology))
        {
            Assert.Null(await NetnsRunner.Run(topology.Client, () => balancer.StartAsync(CancellationToken.None)));
            await balancer.ApplyAsync(State(Task("t1", 0, "198.19.0.10:80")), CancellationToken.None);
            Assert.Equal(string.Empty, OurRoutes(topology));
            Assert.Equal(SocketError.Success, (await topology.ConnectAsync(Vip)).Error);
        }

        Assert.Contains("198.19.0.0/16 via 198.18.1.2", topology.InClient("ip -4 route show"), StringComparison.Ordinal);
    }

    [NetnsFact]
    public async Task Start_StaleRouteOfOursForAnotherRange_Removed()
    {
        using var topology = L4lbTopology.Create(routeVips: false);

        // What a run killed with -9 under another --vip-range leaves behind.
        topology.InClient("ip route add 198.18.128.0/20 dev lo src 127.0.0.1 proto 77");
        await using (var balancer = Create(topology))
        {
            Assert.Null(await NetnsRunner.Run(topology.Client, () => balancer.StartAsync(CancellationToken.None)));
            var routes = OurRoutes(topology);
            Assert.DoesNotContain("198.18.128.0/20", routes, StringComparison.Ordinal);
            Assert.StartsWith("198.19.0.0/16 dev lo", routes, StringComparison.Ordinal);
        }

        Assert.Equal(string.Empty, OurRoutes(topology));
    }
}
