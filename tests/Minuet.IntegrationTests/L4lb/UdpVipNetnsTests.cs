using System.Net;
using System.Net.Sockets;
using System.Text;
using Minuet.TestSupport;
using static Minuet.IntegrationTests.L4lb.ClusterStates;

namespace Minuet.IntegrationTests.L4lb;

/// <summary>
/// UDP VIPs end to end: the balancer in this process serves the client namespace; two backends answer UDP on
/// port 5353 behind the UDP VIP 198.19.0.53:53, while backend 3 serves TCP behind the same address and port.
/// </summary>
public sealed class UdpVipNetnsTests
{
    private const int UdpPort = 5353;
    private static readonly IPEndPoint Vip = IPEndPoint.Parse("198.19.0.53:53");

    [NetnsFact]
    public async Task Send_TwentyFlowsToUdpVip_EveryAnswerComesBackFromBothBackends()
    {
        using var topology = L4lbTopology.Create();
        using var udp1 = UdpEchoServer.Start(topology.Backends[0], "udp-1", L4lbTopology.BackendAddress(0), UdpPort);
        using var udp2 = UdpEchoServer.Start(topology.Backends[1], "udp-2", L4lbTopology.BackendAddress(1), UdpPort);
        await using var balancer = await NetnsBalancer.StartAsync(topology);
        await balancer.ApplyAsync(
            State(
                Task("u1", 0, "198.19.0.53:53", UdpPort, protocol: "udp"),
                Task("u2", 1, "198.19.0.53:53", UdpPort, protocol: "udp"),
                Task("t3", 2, "198.19.0.53:53")),
            CancellationToken.None);

        var served = new List<string>();
        for (int i = 0; i < 20; i++)
        {
            // A new socket is a new source port: a new flow, balanced afresh.
            using var client = ClientSocket(topology);
            string first = await AskAsync(client, $"q{i}");
            string second = await AskAsync(client, $"again{i}");
            Assert.EndsWith($":q{i}", first, StringComparison.Ordinal);
            var backend = first[..first.IndexOf(':', StringComparison.Ordinal)];

            // The flow's later datagrams follow its entry to the same backend.
            Assert.Equal($"{backend}:again{i}", second);
            served.Add(backend);
        }

        Assert.Equal(["udp-1", "udp-2"], served.Distinct().Order());
        Assert.True(balancer.Metrics.Natted >= 20);
        Assert.True(balancer.Metrics.UdpKnownFlows >= 20);

        // TCP on the same address and port is its own VIP, served by backend 3.
        var (name, error, _) = await topology.ConnectAsync(Vip);
        Assert.Equal(SocketError.Success, error);
        Assert.Equal("backend-3", name);

        var set = topology.InClient("ipset list minuet-vips");
        Assert.Contains("198.19.0.53,udp:53", set, StringComparison.Ordinal);
        Assert.Contains("198.19.0.53,tcp:53", set, StringComparison.Ordinal);
        // The reply tuple of a balanced flow is the backend answering the client.
        var entries = topology.InClient("conntrack -L -p udp --orig-dst 198.19.0.53");
        Assert.Contains("src=198.18.1.2 dst=198.18.250.1 sport=5353", entries, StringComparison.Ordinal);
    }

    [NetnsFact]
    public async Task Send_UdpVipWithNoUsableBackend_RefusedAtOnce()
    {
        using var topology = L4lbTopology.Create();
        await using var balancer = await NetnsBalancer.StartAsync(topology);
        await balancer.ApplyAsync(State(Task("u1", 0, "198.19.0.53:53", UdpPort, healthy: false, protocol: "udp")), CancellationToken.None);

        using var client = ClientSocket(topology);
        await client.SendAsync(Encoding.ASCII.GetBytes("q"));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var refused = await Assert.ThrowsAsync<SocketException>(async () => await client.ReceiveAsync(new byte[64], timeout.Token));

        // The ICMP port unreachable of the REJECT rule reaches the connected socket as ECONNREFUSED.
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
        Assert.True(balancer.Metrics.NoBackend >= 1);
    }

    [NetnsFact]
    public async Task Send_SocketUsedBeforeVipExisted_AnsweredOnceVipAppears()
    {
        using var topology = L4lbTopology.Create();
        using var udp1 = UdpEchoServer.Start(topology.Backends[0], "udp-1", L4lbTopology.BackendAddress(0), UdpPort);
        await using var balancer = await NetnsBalancer.StartAsync(topology);
        using var client = ClientSocket(topology);

        // No VIP yet: the datagram leaves un-NATed and its conntrack entry stays (each datagram would renew it).
        await client.SendAsync(Encoding.ASCII.GetBytes("early"));
        Assert.Contains("198.19.0.53", topology.InClient("conntrack -L -p udp"), StringComparison.Ordinal);
        await balancer.ApplyAsync(State(Task("u1", 0, "198.19.0.53:53", UdpPort, protocol: "udp")), CancellationToken.None);

        Assert.Equal("udp-1:late", await AskAsync(client, "late"));
    }

    [NetnsFact]
    public async Task Send_BackendLeavesTheVip_SameSocketMovesToTheOther()
    {
        using var topology = L4lbTopology.Create();
        using var udp1 = UdpEchoServer.Start(topology.Backends[0], "udp-1", L4lbTopology.BackendAddress(0), UdpPort);
        using var udp2 = UdpEchoServer.Start(topology.Backends[1], "udp-2", L4lbTopology.BackendAddress(1), UdpPort);
        await using var balancer = await NetnsBalancer.StartAsync(topology);
        var tasks = new[] { Task("u1", 0, "198.19.0.53:53", UdpPort, protocol: "udp"), Task("u2", 1, "198.19.0.53:53", UdpPort, protocol: "udp") };
        await balancer.ApplyAsync(State(tasks), CancellationToken.None);
        using var client = ClientSocket(topology);
        string first = await AskAsync(client, "one");
        int left = first.StartsWith("udp-1:", StringComparison.Ordinal) ? 0 : 1;

        await balancer.ApplyAsync(State(tasks[1 - left]), CancellationToken.None);

        Assert.Equal($"udp-{2 - left}:two", await AskAsync(client, "two"));
    }

    private static Socket ClientSocket(L4lbTopology topology) => NetnsRunner.Run(topology.Client, () =>
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Connect(Vip);
        return socket;
    });

    private static async Task<string> AskAsync(Socket client, string question)
    {
        await client.SendAsync(Encoding.ASCII.GetBytes(question));
        var buffer = new byte[512];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
        int read = await client.ReceiveAsync(buffer, timeout.Token);
        return Encoding.ASCII.GetString(buffer, 0, read);
    }
}
