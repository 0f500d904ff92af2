using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Minuet.TestSupport;

namespace Minuet.IntegrationTests.L4lb;

/// <summary><c>minuet dataplane</c> run as a daemon inside the client namespace of an <see cref="L4lbTopology"/>.</summary>
public sealed class DataplaneDaemonNetnsTests
{
    private static readonly IPEndPoint Vip = IPEndPoint.Parse("198.19.0.10:80");

    private static async Task<TimeSpan> WaitForVipAsync(L4lbTopology topology, DataplaneDaemon daemon)
    {
        var waited = Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            Assert.False(daemon.HasExited, "daemon exited:\n" + daemon.Output);
            if ((await topology.ConnectAsync(Vip, TimeSpan.FromMilliseconds(500))).Error == SocketError.Success)
            {
                return waited.Elapsed;
            }

            await Task.Delay(50);
        }

        throw new TimeoutException("VIP never answered; daemon output:\n" + daemon.Output);
    }

    /// <summary>
    /// A client namespace with no route to the VIP range (the daemon routes it), a 40 MiB transfer running across
    /// kill -9 and restart, and a client connecting every 20 ms throughout: the transfer completes with intact
    /// bytes, no connection is refused in between (the new process reads its queues only once its first table
    /// is in), the range's route survives the kill (a socket whose route vanished would fail its next send) and
    /// goes on clean exit with the rules and the set.
    /// </summary>
    [NetnsFact]
    public async Task Restart_AfterSigkill_EstablishedTransferIntactNoRefusalsRouteKept()
    {
        using var topology = L4lbTopology.Create(routeVips: false);
        var stateFile = Path.Combine(Path.GetTempPath(), $"minuet-l4-{topology.Id}.json");
        await File.WriteAllTextAsync(stateFile, StateFiles.Document([(0, "198.19.0.10:80"), (1, "198.19.0.10:80"), (2, "198.19.0.10:80")]));
        try
        {
            using var first = DataplaneDaemon.Start(topology.Client, stateFile);
            await WaitForVipAsync(topology, first);

            var vips = topology.InClient($"dotnet {Path.Combine(AppContext.BaseDirectory, "minuet.dll")} vips");
            Assert.Matches(@"198\.19\.0\.10:80\s+198\.18\.1\.2:8080", vips);
            var one = topology.InClient("curl -s http://127.0.0.1:61421/vip/198.19.0.10:80");
            Assert.Contains("\"198.18.3.2:8080\":{\"pending_connections\"", one, StringComparison.Ordinal);

            // About 3 s of paced data: long enough to kill and restart the daemon in the middle of it.
            const long Total = 40L * 1024 * 1024;
            using var socket = NetnsRunner.Run(topology.Client, () => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp));
            await socket.ConnectAsync(Vip);
            await socket.SendAsync(Encoding.ASCII.GetBytes($"stream {Total}\n"));
            var transfer = Task.Run(async () =>
            {
                using var hash = System.Security.Cryptography.IncrementalHash.CreateHash(System.Security.Cryptography.HashAlgorithmName.SHA256);
                var buffer = new byte[256 * 1024];
                long received = 0;
                int n;
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
                while ((n = await socket.ReceiveAsync(buffer, timeout.Token)) > 0)
                {
                    hash.AppendData(buffer, 0, n);
                    received += n;
                }

                return (received, hash.GetHashAndReset());
            });
            await Task.Delay(300);

            first.Kill();
            Assert.Contains("MINUET-L4LB", topology.InClient("iptables-save"), StringComparison.Ordinal);
            Assert.Contains("198.19.0.0/16 dev lo", topology.InClient("ip -4 route show proto 77"), StringComparison.Ordinal);

            // A client that keeps connecting while the daemon is down and comes back; with the rules in place and
            // no reader, its SYNs wait (dropped, then retransmitted), but none may be refused.
            using var probing = new CancellationTokenSource();
            var prober = Task.Run(async () =>
            {
                var errors = new List<SocketError>();
                while (!probing.IsCancellationRequested)
                {
                    var (_, error, _) = await topology.ConnectAsync(Vip, TimeSpan.FromSeconds(3));
                    errors.Add(error);
                    await Task.Delay(20);
                }

                return errors;
            });
            var restarted = Stopwatch.StartNew();
            using var second = DataplaneDaemon.Start(topology.Client, stateFile);
            await WaitForVipAsync(topology, second);
            var servedAfter = restarted.Elapsed;
            await probing.CancelAsync();
            var probeErrors = await prober;

            var (received, digest) = await transfer;
            Assert.Equal(Total, received);
            Assert.Equal(StreamPattern.Hash(Total), digest);
            Assert.DoesNotContain(SocketError.ConnectionRefused, probeErrors);
            for (int i = 0; i < 10; i++)
            {
                Assert.Equal(SocketError.Success, (await topology.ConnectAsync(Vip)).Error);
            }

            Assert.True(second.Stop(), "daemon did not stop on SIGTERM:\n" + second.Output);
            Assert.DoesNotContain("MINUET-L4LB", topology.InClient("iptables-save"), StringComparison.Ordinal);
            Assert.DoesNotContain("minuet-vips", topology.InClient("ipset list -n"), StringComparison.Ordinal);
            Assert.Equal(string.Empty, topology.InClient("ip -4 route show proto 77").Trim());

            // Process start-up included (dotnet on a shared 2-core machine); the log line gives the split.
            Assert.True(servedAfter < TimeSpan.FromSeconds(20), $"served {servedAfter} after restart");
        }
        finally
        {
            File.Delete(stateFile);
        }
    }

    [NetnsFact]
    public async Task NamedVip_ResolvesInDnsAndConnects()
    {
        using var topology = L4lbTopology.Create();
        var stateFile = Path.Combine(Path.GetTempPath(), $"minuet-l4-{topology.Id}.json");
        await File.WriteAllTextAsync(stateFile, StateFiles.Document([(0, "/web:80"), (1, "/web:80")]));
        try
        {
            using var daemon = DataplaneDaemon.Start(topology.Client, stateFile);
            string answer = string.Empty;
            for (int i = 0; i < 100 && !answer.StartsWith("198.19.", StringComparison.Ordinal); i++)
            {
                Assert.False(daemon.HasExited, "daemon exited:\n" + daemon.Output);
                var (code, output) = NetnsRunner.TrySh($"ip netns exec {topology.Client} dig +short +time=1 +tries=1 -p 5353 @127.0.0.1 web.marathon.l4lb.thisdcos.directory A");
                answer = code == 0 ? output.Trim() : string.Empty;
                if (!answer.StartsWith("198.19.", StringComparison.Ordinal))
                {
                    await System.Threading.Tasks.Task.Delay(200);
                }
            }

            Assert.True(answer.StartsWith("198.19.", StringComparison.Ordinal), $"no A record for the named VIP: '{answer}'\n{daemon.Output}");
            var named = IPEndPoint.Parse($"{answer.Split('\n')[0]}:80");
            var reached = new HashSet<string?>();
            for (int i = 0; i < 20; i++)
            {
                var (name, error, _) = await topology.ConnectAsync(named);
                Assert.Equal(SocketError.Success, error);
                reached.Add(name);
            }

            Assert.Equal(["backend-1", "backend-2"], reached.Order());
            Assert.Contains("web.marathon.l4lb.thisdcos.directory", topology.InClient("curl -s http://127.0.0.1:61421/l4lb/named"), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(stateFile);
        }
    }
}
