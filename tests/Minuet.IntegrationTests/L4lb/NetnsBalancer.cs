using Microsoft.Extensions.Logging.Abstractions;
using Minuet.DataPlane.L4lb;
using Minuet.DataPlane.L4lb.Vips;

namespace Minuet.IntegrationTests.L4lb;

/// <summary>The balancer the L4 netns tests run: in this process, serving the topology's client namespace.</summary>
internal static class NetnsBalancer
{
    /// <summary>
    /// Starts one over 198.19.0.0/16 with one queue and the <c>minuet-vips</c> set; <paramref name="options"/> carries
    /// what a test varies (policy, health, fail-open). Its netlink sockets open on a thread inside the namespace.
    /// </summary>
    public static async Task<L4Balancer> StartAsync(L4lbTopology topology, L4lbOptions? options = null)
    {
        var balancer = new L4Balancer(
            (options ?? new L4lbOptions()) with
            {
                VipRange = VipRange.Parse("198.19.0.0/16"),
                QueueCount = 1,
                SetName = "minuet-vips",
                ToolNetworkNamespace = topology.Client,
            },
            NullLoggerFactory.Instance);
        var failure = await NetnsRunner.Run(topology.Client, () => balancer.StartAsync(CancellationToken.None));
        if (failure is not null)
        {
            await balancer.DisposeAsync();
        }

        Assert.Null(failure);
        return balancer;
    }
}
