using System.CommandLine;
using System.Net.Sockets;
using Minuet.DataPlane.Host;
using Microsoft.Extensions.Logging;
using Minuet.DataPlane.Http;
using Minuet.DataPlane.L4lb;
using Minuet.DataPlane.L4lb.Api;
using Minuet.DataPlane.Metrics;

namespace Minuet.Cli.Verbs;

/// <summary>
/// <c>minuet dataplane</c>: the data-plane daemon (Mesos-DNS-compatible DNS, its HTTP API and /metrics, and the L4 VIP
/// balancer with its /vips API) fed by a state file, a master's <c>/master/state</c> URL, or its push stream.
/// </summary>
internal static class DataplaneVerb
{
    /// <summary>Exit code for invalid options and failed starts (as other usage errors).</summary>
    public const int FailureExitCode = 1;

    public static Command Create()
    {
        var stateFile = new Option<string?>("--state-file") { Description = "Read cluster state from this Mesos /master/state JSON file; re-read when it changes." };
        var stateUrl = new Option<string?>("--state-url") { Description = "Poll cluster state from this URL (e.g. http://master:5050/master/state)." };
        var masterUrl = new Option<string?>("--master-url") { Description = "Follow this master's push stream (e.g. http://127.0.0.1:5050): changes arrive as they happen." };
        var masters = new Option<string?>("--masters")
        {
            Description = "Poll the leading master among these HOST:PORT,HOST:PORT,... (Mesos-DNS's masters): asks each for /master/state, follows its leader, fails over when the leader stops answering.",
        };
        var refresh = new Option<string?>("--refresh") { Description = "Poll interval for --state-url and --masters (default 1s; 500ms, 2s, 1m ...)." };
        var dnsListen = new Option<string?>("--dns-listen") { Description = "DNS listen address for UDP and TCP (default 0.0.0.0:53)." };
        var httpListen = new Option<string?>("--http-listen") { Description = "HTTP API listen address (default 127.0.0.1:61421)." };
        var domain = new Option<string?>("--domain") { Description = "The Mesos DNS domain (default mesos)." };
        var ttl = new Option<string?>("--ttl") { Description = "TTL in seconds of names in the domain (default 60)." };
        var negativeTtl = new Option<string?>("--negative-ttl")
        {
            Description = "Seconds resolvers may cache \"no such name\" (the SOA minimum; default 5, capped by --ttl), so a new app is found soon after a failed lookup.",
        };
        var labelSpec = new Option<string?>("--label-spec") { Description = "Name mangling: rfc1123 (default) or rfc952." };
        var ipSources = new Option<string?>("--ip-sources") { Description = "Task IP sources in order, first that yields an IP wins (default netinfo,mesos,host; also docker)." };
        var upstream = new Option<string[]>("--upstream") { Description = "Upstream resolver IP[:PORT] for other names; repeatable (default: /etc/resolv.conf)." };
        var noForward = new Option<bool>("--no-forward") { Description = "Do not forward other names; answer REFUSED." };
        var l4lb = new Option<string?>("--l4lb") { Description = "Run the L4 VIP balancer: on (default) or off." };
        var l4 = new L4Options();

        var command = new Command("dataplane", "Run the data plane: DNS server and L4 VIP balancer, fed by the master's stream.");
        foreach (var option in new Option[] { stateFile, stateUrl, masterUrl, masters, refresh, dnsListen, httpListen, domain, ttl, negativeTtl, labelSpec, ipSources, upstream, noForward, l4lb })
        {
            command.Options.Add(option);
        }

        l4.AddTo(command);

        command.SetAction(async (parse, cancellationToken) =>
        {
            var (options, errors) = DataPlaneOptionsParser.Parse(new DataPlaneArguments
            {
                StateFile = parse.GetValue(stateFile),
                StateUrl = parse.GetValue(stateUrl),
                MasterUrl = parse.GetValue(masterUrl),
                Masters = parse.GetValue(masters),
                Refresh = parse.GetValue(refresh),
                DnsListen = parse.GetValue(dnsListen),
                HttpListen = parse.GetValue(httpListen),
                Domain = parse.GetValue(domain),
                Ttl = parse.GetValue(ttl),
                NegativeTtl = parse.GetValue(negativeTtl),
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

            L4lbOptions? balancerOptions = null;
            if (options.L4lb)
            {
                var (parsed, l4Errors) = L4lbOptionsParser.Parse(l4.Read(parse));
                if (parsed is null)
                {
                    foreach (var message in l4Errors)
                    {
                        error.WriteLine($"minuet dataplane: {message}");
                    }

                    return FailureExitCode;
                }

                balancerOptions = parsed;
            }

            return await RunAsync(options, balancerOptions, error, cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    private static async Task<int> RunAsync(DataPlaneOptions options, L4lbOptions? balancerOptions, TextWriter error, CancellationToken cancellationToken)
    {
        using var stop = new StopSignals(cancellationToken);

        DnsApiEndpoints.ProductVersion = VersionVerb.ProductVersion;
        using var loggerFactory = LoggerFactory.Create(logging =>
        {
            logging.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
            });
            logging.SetMinimumLevel(LogLevel.Information);
            logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
            logging.AddFilter("Microsoft.Hosting", LogLevel.Warning);
        });
        var metrics = new DataPlaneMetrics();

        // The balancer starts first (queues bound, rules in) so the host's first state read can program it.
        L4Balancer? balancer = null;
        if (balancerOptions is not null)
        {
            balancer = new L4Balancer(balancerOptions, loggerFactory, metrics);
            string? failure = await balancer.StartAsync(stop.Token).ConfigureAwait(false);
            if (failure is not null)
            {
                await balancer.DisposeAsync().ConfigureAwait(false);
                error.WriteLine($"minuet dataplane: L4 balancer could not start: {failure} (it needs root; --l4lb off runs DNS only)");
                return FailureExitCode;
            }
        }

        try
        {
            return await RunHostAsync(options, balancer, loggerFactory, metrics, error, stop.Token).ConfigureAwait(false);
        }
        finally
        {
            if (balancer is not null)
            {
                // Clean exit removes the rules and the set; after SIGKILL they stay and conntrack keeps flows going.
                await balancer.DisposeAsync().ConfigureAwait(false);
            }
        }
    }

    private static async Task<int> RunHostAsync(
        DataPlaneOptions options, L4Balancer? balancer, ILoggerFactory loggerFactory, DataPlaneMetrics metrics, TextWriter error, CancellationToken stopToken)
    {
        var services = new DataPlaneHostServices
        {
            LoggerFactory = loggerFactory,
            Metrics = metrics,
            VipProgrammerFactory = balancer is null ? null : _ => balancer,
            MapRoutes = balancer is null ? null : routes => routes.MapL4lbApi(balancer.Status),
        };
        DataPlaneHost host;
        try
        {
            host = await DataPlaneHost.StartAsync(options, services, stopToken).ConfigureAwait(false);
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

        await host.RunUntilStoppedAsync(stopToken).ConfigureAwait(false);
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
