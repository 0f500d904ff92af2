using System.CommandLine;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Minuet.DataPlane.Host;
using Minuet.DataPlane.Http;

namespace Minuet.Cli.Verbs;

/// <summary>
/// <c>minuet dataplane</c>: the data-plane daemon (Mesos-DNS-compatible DNS, its HTTP API and /metrics, and the L4 VIP
/// balancer once it lands) fed by a state file or a master's <c>/master/state</c> URL.
/// </summary>
internal static class DataplaneVerb
{
    /// <summary>Exit code for invalid options and failed starts (as other usage errors).</summary>
    public const int FailureExitCode = 1;

    public static Command Create()
    {
        var stateFile = new Option<string?>("--state-file") { Description = "Read cluster state from this Mesos /master/state JSON file; re-read when it changes." };
        var stateUrl = new Option<string?>("--state-url") { Description = "Poll cluster state from this URL (e.g. http://master:5050/master/state)." };
        var refresh = new Option<string?>("--refresh") { Description = "Poll interval for --state-url (default 1s; 500ms, 2s, 1m ...)." };
        var dnsListen = new Option<string?>("--dns-listen") { Description = "DNS listen address for UDP and TCP (default 0.0.0.0:53)." };
        var httpListen = new Option<string?>("--http-listen") { Description = "HTTP API listen address (default 127.0.0.1:61421)." };
        var domain = new Option<string?>("--domain") { Description = "The Mesos DNS domain (default mesos)." };
        var ttl = new Option<string?>("--ttl") { Description = "TTL in seconds of names in the domain (default 60)." };
        var labelSpec = new Option<string?>("--label-spec") { Description = "Name mangling: rfc1123 (default) or rfc952." };
        var ipSources = new Option<string?>("--ip-sources") { Description = "Task IP sources in order, first that yields an IP wins (default netinfo,mesos,host; also docker)." };
        var upstream = new Option<string[]>("--upstream") { Description = "Upstream resolver IP[:PORT] for other names; repeatable (default: /etc/resolv.conf)." };
        var noForward = new Option<bool>("--no-forward") { Description = "Do not forward other names; answer REFUSED." };
        var l4lb = new Option<string?>("--l4lb") { Description = "Run the L4 VIP balancer: on (default) or off." };

        var command = new Command("dataplane", "Run the data plane: DNS server and L4 VIP balancer");
        foreach (var option in new Option[] { stateFile, stateUrl, refresh, dnsListen, httpListen, domain, ttl, labelSpec, ipSources, upstream, noForward, l4lb })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var (options, errors) = DataPlaneOptionsParser.Parse(new DataPlaneArguments
            {
                StateFile = parse.GetValue(stateFile),
                StateUrl = parse.GetValue(stateUrl),
                Refresh = parse.GetValue(refresh),
                DnsListen = parse.GetValue(dnsListen),
                HttpListen = parse.GetValue(httpListen),
                Domain = parse.GetValue(domain),
                Ttl = parse.GetValue(ttl),
                LabelSpec = parse.GetValue(labelSpec),
                IpSources = parse.GetValue(ipSources),
                Upstreams = parse.GetValue(upstream) ?? [],
                NoForward = parse.GetValue(noForward),
                L4lb = parse.GetValue(l4lb),
            });
            var error = parse.InvocationConfiguration.Error;
            if (options is null)
            {
                foreach (var message in errors)
                {
                    error.WriteLine($"minuet dataplane: {message}");
                }

                return FailureExitCode;
            }

            // The L4 balancer lands with issue 4; until then "on" is refused plainly rather than silently ignored.
            if (options.L4lb)
            {
                error.WriteLine($"minuet dataplane: {DataPlaneHost.NoBalancerMessage}");
                return FailureExitCode;
            }

            return await RunAsync(options, error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(DataPlaneOptions options, TextWriter error, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });

        DnsApiEndpoints.ProductVersion = VersionVerb.ProductVersion;
        DataPlaneHost host;
        try
        {
            host = await DataPlaneHost.StartAsync(options, cancellationToken: stop.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or IOException or InvalidOperationException)
        {
            error.WriteLine($"minuet dataplane: could not start: {Describe(ex, options)}");
            return FailureExitCode;
        }
        catch (OperationCanceledException)
        {
            return 0;
        }

        await host.RunUntilStoppedAsync(stop.Token).ConfigureAwait(false);
        return 0;
    }

    private static string Describe(Exception ex, DataPlaneOptions options)
    {
        if (ex is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse })
        {
            return $"an address is already in use (--dns-listen {options.DnsListen}, --http-listen {options.HttpListen}): {ex.Message}";
        }

        if (ex is SocketException { SocketErrorCode: SocketError.AccessDenied })
        {
            return $"permission denied binding {options.DnsListen} (ports below 1024 need root or CAP_NET_BIND_SERVICE): {ex.Message}";
        }

        if (ex is IOException && ex.InnerException is SocketException inner)
        {
            return $"HTTP listener {options.HttpListen}: {inner.Message}";
        }

        return ex.Message;
    }
}
