using System.Net;
using System.Net.Sockets;
using Minuet.DataPlane.Model;
using Minuet.TestSupport;
using static Minuet.IntegrationTests.L4lb.ClusterStates;

namespace Minuet.IntegrationTests.L4lb;

/// <summary>
/// Hairpin: the topology's client namespace plays the host, with a bridge (198.18.60.1/24) and two container
/// namespaces on it (198.18.60.2 runs the only backend, 198.18.60.3 is its sibling). A container reaching the
/// VIP is balanced to a backend on its own bridge; only the SNAT inside the conntrack entry makes the reply come
/// back through the host instead of straight over the bridge (which the client would reset). The bridge ports
/// have hairpin mode on, as Docker and the CNI bridge plugin set it: with br_netfilter loaded, a DNATed frame
/// whose new destination is on the same bridge is bridged, not routed, and the bridge never sends a frame back
/// out the port it came in on unless that port is in hairpin mode.
/// </summary>
public sealed class HairpinNetnsTests
{
    private static readonly IPEndPoint Vip = IPEndPoint.Parse("198.19.0.40:80");

    [NetnsFact]
    public async Task Connect_ContainerToVipBalancedToItselfOrSibling_Succeeds()
    {
        using var topology = L4lbTopology.Create();
        string self = $"ml4h1-{topology.Id}";
        string sibling = $"ml4h2-{topology.Id}";
        try
        {
            NetnsRunner.Sh(
                $"ip netns exec {topology.Client} sysctl -qw net.ipv4.ip_forward=1 && " +
                $"ip -n {topology.Client} link add br-{topology.Id} type bridge && " +
                $"ip -n {topology.Client} addr add 198.18.60.1/24 dev br-{topology.Id} && " +
                $"ip -n {topology.Client} link set br-{topology.Id} up");
            foreach (var (ns, n) in new[] { (self, 2), (sibling, 3) })
            {
                NetnsRunner.Sh(
                    $"ip netns add {ns} && ip -n {ns} link set lo up && " +
                    $"ip link add vh{n}-{topology.Id} netns {topology.Client} type veth peer name eth0 netns {ns} && " +
                    $"ip -n {topology.Client} link set vh{n}-{topology.Id} master br-{topology.Id} up && " +
                    $"ip -n {topology.Client} link set vh{n}-{topology.Id} type bridge_slave hairpin on && " +
                    $"ip -n {ns} addr add 198.18.60.{n}/24 dev eth0 && ip -n {ns} link set eth0 up && " +
                    $"ip -n {ns} route add default via 198.18.60.1");
            }

            using var server = BackendServer.Start(self, "container", IPAddress.Parse("198.18.60.2"), L4lbTopology.BackendPort);
            await using (var balancer = await NetnsBalancer.StartAsync(topology))
            {
                var state = State(Task("t1", 0, "198.19.0.40:80")) with
                {
                    Agents = [new AgentInfo { Id = "a1", Hostname = "container", Pid = "slave(1)@198.18.60.2:5051" }],
                };
                await balancer.ApplyAsync(state, CancellationToken.None);

                var toItself = await L4lbTopology.ConnectFromAsync(self, Vip);
                var toSibling = await L4lbTopology.ConnectFromAsync(sibling, Vip);

                Assert.Equal((SocketError.Success, "container"), (toItself.Error, toItself.Name));
                Assert.Equal((SocketError.Success, "container"), (toSibling.Error, toSibling.Name));
                Assert.True(balancer.Metrics.Natted >= 2);
            }
        }
        finally
        {
            NetnsRunner.TrySh($"ip netns del {self}");
            NetnsRunner.TrySh($"ip netns del {sibling}");
        }
    }
}
