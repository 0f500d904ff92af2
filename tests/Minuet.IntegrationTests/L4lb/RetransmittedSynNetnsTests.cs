using System.Net;
using System.Net.Sockets;
using Minuet.DataPlane.L4lb;
using Minuet.TestSupport;
using static Minuet.IntegrationTests.L4lb.ClusterStates;

namespace Minuet.IntegrationTests.L4lb;

/// <summary>
/// A SYN the backend does not answer is retransmitted by the client's kernel (after 1 s) with the same 5-tuple.
/// Round-robin would send a fresh decision to the next backend; the retransmit must follow its first SYN.
/// </summary>
public sealed class RetransmittedSynNetnsTests
{
    private static readonly IPEndPoint Vip = IPEndPoint.Parse("198.19.0.10:80");

    [NetnsFact]
    public async Task Connect_FirstSynDropped_RetransmitReachesTheSameBackend()
    {
        using var topology = L4lbTopology.Create();
        await using var balancer = await NetnsBalancer.StartAsync(topology, new L4lbOptions { Policy = "round-robin" });
        await balancer.ApplyAsync(State(Task("t1", 0, "198.19.0.10:80"), Task("t2", 1, "198.19.0.10:80"), Task("t3", 2, "198.19.0.10:80")), CancellationToken.None);

        // Every backend drops the first SYN it sees; the rule goes before the client's retransmit.
        foreach (var backend in topology.Backends)
        {
            NetnsRunner.Sh($"ip netns exec {backend} iptables -I INPUT -p tcp --syn --dport {L4lbTopology.BackendPort} -j DROP");
        }

        var connecting = topology.ConnectAsync(Vip, TimeSpan.FromSeconds(5));
        string? first = null;
        for (int i = 0; i < 50 && first is null; i++)
        {
            await System.Threading.Tasks.Task.Delay(10);
            var entry = topology.InClient("conntrack -L -p tcp --dst 198.19.0.10 --dport 80 --state SYN_SENT 2>/dev/null");
            var match = System.Text.RegularExpressions.Regex.Match(entry, @"src=(198\.18\.\d+\.2) dst=\S+ sport=8080");
            first = match.Success ? match.Groups[1].Value : null;
        }

        Assert.NotNull(first);
        foreach (var backend in topology.Backends)
        {
            NetnsRunner.Sh($"ip netns exec {backend} iptables -D INPUT -p tcp --syn --dport {L4lbTopology.BackendPort} -j DROP");
        }

        var (name, error, elapsed) = await connecting;

        Assert.Equal(SocketError.Success, error);
        Assert.True(elapsed > TimeSpan.FromMilliseconds(800), $"the first SYN was answered ({elapsed}): no retransmit happened");
        Assert.Equal($"backend-{first.Split('.')[2]}", name);
        Assert.True(balancer.Metrics.Retransmits >= 1);
    }
}
