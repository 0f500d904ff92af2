using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Minuet.DataPlane.Dns.Codec;

namespace Minuet.DataPlane.Tests.Dns.Server;

/// <summary>
/// unbound in the foreground on a random 127.x.y.z address, with a stub zone sending the Mesos domain to our server
/// and nothing else reachable (no root hints are ever used: every query in a test is under the stub zone).
/// </summary>
internal sealed class UnboundRunner : IAsyncDisposable
{
    public const string Path = "/usr/sbin/unbound";

    private readonly Process _process;
    private readonly string _dir;

    private UnboundRunner(Process process, string dir, IPEndPoint endPoint)
    {
        _process = process;
        _dir = dir;
        EndPoint = endPoint;
    }

    public static bool Available => File.Exists(Path);

    public IPEndPoint EndPoint { get; }

    public static async Task<UnboundRunner> StartAsync(string zone, IPEndPoint authority, TimeSpan readyTimeout)
    {
        Assert.True(Available, $"unbound is missing at {Path} (test.sh installs it)");
        for (int attempt = 1; ; attempt++)
        {
            var address = new IPAddress([127, (byte)Random.Shared.Next(64, 250), (byte)Random.Shared.Next(1, 250), (byte)Random.Shared.Next(2, 250)]);
            var endPoint = new IPEndPoint(address, Random.Shared.Next(20000, 60000));
            var runner = Start(zone, authority, endPoint);
            if (await runner.WaitReadyAsync(zone, readyTimeout))
            {
                return runner;
            }

            string log = await runner.StopAsync();
            if (attempt == 3)
            {
                Assert.Fail($"unbound did not answer on {endPoint} within {readyTimeout}: {log}");
            }
        }
    }

    private static UnboundRunner Start(string zone, IPEndPoint authority, IPEndPoint endPoint)
    {
        string dir = Directory.CreateTempSubdirectory("minuet-unbound-").FullName;
        string config = System.IO.Path.Combine(dir, "unbound.conf");
        string port = endPoint.Port.ToString(CultureInfo.InvariantCulture);
        File.WriteAllText(config, $"""
            server:
              interface: {endPoint.Address}
              port: {port}
              do-ip6: no
              do-tcp: yes
              do-daemonize: no
              username: ""
              chroot: ""
              directory: "{dir}"
              pidfile: "{dir}/unbound.pid"
              use-syslog: no
              logfile: ""
              verbosity: 1
              num-threads: 1
              access-control: 127.0.0.0/8 allow
              do-not-query-localhost: no
              module-config: "iterator"
              qname-minimisation: no
              prefetch: no
              serve-expired: no
              domain-insecure: "{zone}"
            remote-control:
              control-enable: no
            stub-zone:
              name: "{zone}"
              stub-addr: {authority.Address}@{authority.Port.ToString(CultureInfo.InvariantCulture)}
            """);
        var psi = new ProcessStartInfo(Path) { RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add("-d");
        psi.ArgumentList.Add("-c");
        psi.ArgumentList.Add(config);
        var process = Process.Start(psi)!;
        return new UnboundRunner(process, dir, endPoint);
    }

    /// <summary>Sends one recursive query through unbound; null when it does not answer in time.</summary>
    public async Task<ParsedMessage?> AskAsync(string name, DnsRecordType type, int timeoutMs = 3000)
    {
        var reply = await DnsTestClient.UdpAsync(EndPoint, DnsTestMessages.Query(name, type, id: (ushort)Random.Shared.Next(1, 65535)), timeoutMs);
        return reply is null ? null : DnsTestMessages.Parse(reply);
    }

    private async Task<bool> WaitReadyAsync(string zone, TimeSpan timeout)
    {
        // The zone apex's SOA is always there, so asking for it proves the whole chain without caching a test name.
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline && !_process.HasExited)
        {
            try
            {
                var reply = await AskAsync(zone, DnsRecordType.Soa, 500);
                if (reply is not null && reply.Rcode == DnsRcode.NoError)
                {
                    return true;
                }
            }
            catch (SocketException)
            {
                // not listening yet: ICMP port unreachable surfaces as a refused receive
                await Task.Delay(50);
            }
        }

        return false;
    }

    private async Task<string> StopAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
        }

        await _process.WaitForExitAsync();
        string log = await _process.StandardError.ReadToEndAsync() + await _process.StandardOutput.ReadToEndAsync();
        _process.Dispose();
        Directory.Delete(_dir, recursive: true);
        return log;
    }

    public async ValueTask DisposeAsync() => await StopAsync();
}
