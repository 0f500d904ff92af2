using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Minuet.TestSupport;

namespace Minuet.IntegrationTests.L4lb;

/// <summary>
/// <c>minuet dataplane</c> from a Mesos state whose discovery ports say <c>udp</c>: the named UDP VIP resolves
/// through the daemon's DNS, its datagrams reach both backends and come back, and the HTTP API shows it.
/// </summary>
public sealed class UdpVipDaemonNetnsTests
{
    private const int UdpPort = 5353;

    [NetnsFact]
    public async Task Dataplane_NamedUdpVipFromState_ResolvesAnswersAndShowsProtocol()
    {
        using var topology = L4lbTopology.Create();
        using var udp1 = UdpEchoServer.Start(topology.Backends[0], "udp-1", L4lbTopology.BackendAddress(0), UdpPort);
        using var udp2 = UdpEchoServer.Start(topology.Backends[1], "udp-2", L4lbTopology.BackendAddress(1), UdpPort);
        var stateFile = Path.Combine(Path.GetTempPath(), $"minuet-l4udp-{topology.Id}.json");
        await File.WriteAllTextAsync(stateFile, StateFiles.Document([(0, "/echo:53"), (1, "/echo:53")], UdpPort, "udp"));
        try
        {
            using var daemon = DataplaneDaemon.Start(topology.Client, stateFile);
            var vip = new IPEndPoint(await ResolveAsync(topology, daemon, "echo.marathon.l4lb.thisdcos.directory"), 53);

            var served = new HashSet<string>();
            for (int i = 0; i < 20; i++)
            {
                using var client = NetnsRunner.Run(topology.Client, () =>
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
                    socket.Connect(vip);
                    return socket;
                });
                await client.SendAsync(Encoding.ASCII.GetBytes($"q{i}"));
                var buffer = new byte[128];
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(3));
                string answer = Encoding.ASCII.GetString(buffer, 0, await client.ReceiveAsync(buffer, timeout.Token));
                Assert.EndsWith($":q{i}", answer, StringComparison.Ordinal);
                served.Add(answer[..answer.IndexOf(':', StringComparison.Ordinal)]);
            }

            Assert.Equal(["udp-1", "udp-2"], served.Order());
            var vips = topology.InClient("curl -s http://127.0.0.1:61421/vips");
            Assert.Contains($"\"{vip}/udp\":{{", vips, StringComparison.Ordinal);
            Assert.Contains("\"protocol\":\"udp\"", vips, StringComparison.Ordinal);
            var one = topology.InClient($"curl -s http://127.0.0.1:61421/vip/{vip}/udp");
            Assert.Contains("\"198.18.2.2:5353\":{\"pending_connections\"", one, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(stateFile);
        }
    }

    /// <summary>Asks the daemon's DNS (127.0.0.1:5353 in the client namespace) until the name has an address.</summary>
    private static async Task<IPAddress> ResolveAsync(L4lbTopology topology, DataplaneDaemon daemon, string name)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            Assert.False(daemon.HasExited, "daemon exited:\n" + daemon.Output);
            var (_, output) = NetnsRunner.TrySh($"ip netns exec {topology.Client} dig +short +time=1 +tries=1 @127.0.0.1 -p 5353 {name} A");
            if (IPAddress.TryParse(output.Trim(), out var address))
            {
                return address;
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"{name} never resolved; daemon output:\n" + daemon.Output);
    }
}
