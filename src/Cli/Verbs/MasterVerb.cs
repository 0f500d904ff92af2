using System.CommandLine;
using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Minuet.ControlPlane.Master;

namespace Minuet.Cli.Verbs;

/// <summary><c>minuet master --listen 0.0.0.0:5050 --state-dir DIR</c>: runs the master until interrupted.</summary>
internal static class MasterVerb
{
    public static Command Create()
    {
        var listen = new Option<string>("--listen") { Description = "IP:port to listen on", DefaultValueFactory = _ => "0.0.0.0:5050" };
        var stateDir = new Option<string>("--state-dir") { Description = "Directory for the master's SQLite store (agents, frameworks, tasks, reservations); required with --store sqlite" };
        var storeKind = new Option<string>("--store") { Description = "sqlite (one master) or etcd (several masters, one leads)", DefaultValueFactory = _ => "sqlite" };
        var etcdEndpoints = new Option<string?>("--etcd-endpoints") { Description = "etcd client URLs for --store etcd, e.g. http://127.0.0.1:2379,http://127.0.0.1:22379" };
        var leaderTtl = new Option<string>("--leader-ttl") { Description = "Lease TTL of the leader key (--store etcd): a crashed leader is replaced after about this", DefaultValueFactory = _ => "5s" };
        var reregister = new Option<string>("--agent-reregister-timeout") { Description = "After a restart or fail-over, agents that do not re-register within this are unreachable", DefaultValueFactory = _ => "10mins" };
        var advertise = new Option<string?>("--advertise-ip") { Description = "IP written as leader master@IP:port (default: the listen IP, or this host's first non-loopback IPv4)" };
        var hostname = new Option<string?>("--hostname") { Description = "Hostname reported in /master/state (default: the machine name)" };
        var pingTimeout = new Option<string>("--agent-ping-timeout") { Description = "Heartbeat window, e.g. 15s", DefaultValueFactory = _ => "15s" };
        var maxPings = new Option<int>("--max-agent-ping-timeouts") { Description = "Windows missed before an agent is unreachable", DefaultValueFactory = _ => 5 };
        var interval = new Option<string>("--allocation-interval") { Description = "How often offers are made, e.g. 1s", DefaultValueFactory = _ => "1s" };
        var offerTimeout = new Option<string>("--offer-timeout")
        {
            Description = "Rescind offers a framework neither accepts nor declines within this, e.g. 5mins; 0 turns it off (Mesos's default)",
            DefaultValueFactory = _ => "5mins",
        };
        var maxUnread = new Option<int>("--max-unread-framework-events")
        {
            Description = "Events a framework's subscription may leave unread before it is cut as too slow (it subscribes again and reconciles)",
            DefaultValueFactory = _ => FrameworkConnection.DefaultCapacity,
        };
        var logLevel = new Option<string>("--log-level") { Description = "trace, debug, information, warning, error", DefaultValueFactory = _ => "information" };

        var command = new Command("master", "Run the master: agents, DRF offers, task states, /master/state and the endpoint stream.");
        foreach (var option in new Option[] { listen, stateDir, storeKind, etcdEndpoints, leaderTtl, reregister, advertise, hostname, pingTimeout, maxPings, interval, offerTimeout, maxUnread, logLevel })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var error = parse.InvocationConfiguration.Error;
            var errors = new List<string>();
            if (!TryParseEndpoint(parse.GetValue(listen)!, out var endpoint, out var listenError))
            {
                errors.Add($"--listen: {listenError}");
            }

            var dir = parse.GetValue(stateDir);
            var store = parse.GetValue(storeKind);
            var endpoints = StoreFlags.Parse(store, dir, parse.GetValue(etcdEndpoints), errors);

            var ttl = DurationFlags.Positive("--leader-ttl", parse.GetValue(leaderTtl)!, errors);
            var reregisterTimeout = DurationFlags.Positive("--agent-reregister-timeout", parse.GetValue(reregister)!, errors);

            var ping = DurationFlags.Positive("--agent-ping-timeout", parse.GetValue(pingTimeout)!, errors);
            var allocation = DurationFlags.Positive("--allocation-interval", parse.GetValue(interval)!, errors);
            var offers = DurationFlags.NonNegative("--offer-timeout", parse.GetValue(offerTimeout)!, errors);

            int pings = parse.GetValue(maxPings);
            if (pings < 1)
            {
                errors.Add("--max-agent-ping-timeouts: must be at least 1");
            }

            int unread = parse.GetValue(maxUnread);
            if (unread < 100)
            {
                errors.Add($"--max-unread-framework-events: must be at least 100 (a live framework leaves that many unread in a burst), got {unread}");
            }

            if (!Enum.TryParse<LogLevel>(parse.GetValue(logLevel), ignoreCase: true, out var level))
            {
                errors.Add($"--log-level: '{parse.GetValue(logLevel)}' is not one of trace, debug, information, warning, error");
            }

            string? ip = parse.GetValue(advertise);
            if (ip is not null && !IPAddress.TryParse(ip, out _))
            {
                errors.Add($"--advertise-ip: '{ip}' is not an IP address (the leader pid must hold an IP, never a hostname)");
            }

            if (errors.Count > 0)
            {
                foreach (var e in errors)
                {
                    error.WriteLine($"minuet master: {e}");
                }

                return 1;
            }

            var options = new MasterOptions
            {
                AdvertiseIp = ip ?? AdvertiseIpFor(endpoint!.Address),
                Port = endpoint!.Port,
                Hostname = parse.GetValue(hostname) ?? Environment.MachineName,
                AgentPingTimeout = ping,
                MaxAgentPingTimeouts = pings,
                AllocationInterval = allocation,
                OfferTimeout = offers > TimeSpan.Zero ? offers : null,
                AgentReregisterTimeout = reregisterTimeout,
                FrameworkEventCapacity = unread,
            };

            // SIGTERM and SIGINT stop the master cleanly (the store is closed; agents and tasks are kept).
            using var stop = new StopSignals(cancellationToken);
            cancellationToken = stop.Token;
            using var loggers = LoggerFactory.Create(b => b.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(level).AddFilter("Microsoft", LogLevel.Warning));
            MasterHost host;
            try
            {
                host = store == "etcd"
                    ? MasterHost.CreateHa(endpoint, endpoints, options, ttl, loggers)
                    : MasterHost.Create(endpoint, Path.GetFullPath(dir!), options, loggers);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
            {
                error.WriteLine($"minuet master: --state-dir: cannot open the store in '{dir}': {e.Message}");
                return 1;
            }

            await using (host.ConfigureAwait(false))
            {
                try
                {
                    await host.StartAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (IOException e)
                {
                    error.WriteLine($"minuet master: --listen: cannot listen on {endpoint}: {e.Message}");
                    return 1;
                }

                parse.InvocationConfiguration.Output.WriteLine(store == "etcd"
                    ? $"minuet master {host.Master.MasterId} listening on {endpoint} as {options.LeaderPid}, campaigning on etcd {string.Join(',', endpoints)} (leader TTL {ttl.TotalSeconds:0.#} s)"
                    : $"minuet master {host.Master.MasterId} listening on {endpoint}, leader {options.LeaderPid}, state in {Path.GetFullPath(dir!)}");
                try
                {
                    await Task.Delay(Timeout.Infinite, stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl-C / SIGTERM: stop cleanly.
                }
            }

            return 0;
        });
        return command;
    }

    internal static bool TryParseEndpoint(string text, out IPEndPoint? endpoint, out string? error)
    {
        endpoint = null;
        error = null;
        if (IPEndPoint.TryParse(text, out var parsed) && text.Contains(':', StringComparison.Ordinal))
        {
            if (parsed.Port is < 0 or > 65535)
            {
                error = $"port {parsed.Port} is out of range";
                return false;
            }

            endpoint = parsed;
            return true;
        }

        if (text.StartsWith(':') && int.TryParse(text.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out int port) && port <= 65535)
        {
            endpoint = new IPEndPoint(IPAddress.Any, port);
            return true;
        }

        error = $"'{text}' is not IP:port (e.g. 0.0.0.0:5050)";
        return false;
    }

    /// <summary>Durations as Mesos flags write them: <c>15secs</c>, <c>15s</c>, <c>500ms</c>, <c>2mins</c>, or plain seconds.</summary>
    internal static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = default;
        var t = text.Trim().ToLowerInvariant();
        // Longest first where one suffix ends another: "2mins" and "2hrs" end in "s" too.
        (string Suffix, double Scale)[] units = [("mins", 60), ("min", 60), ("hrs", 3600), ("ms", 0.001), ("secs", 1), ("sec", 1), ("s", 1), ("m", 60), ("h", 3600)];
        double scale = 1;
        foreach (var (suffix, s) in units)
        {
            if (t.EndsWith(suffix, StringComparison.Ordinal))
            {
                t = t[..^suffix.Length];
                scale = s;
                break;
            }
        }

        // Past TimeSpan's range FromSeconds would throw; such a flag is as wrong as text that is no number.
        if (!double.TryParse(t, NumberStyles.Float, CultureInfo.InvariantCulture, out double value) || value < 0 || double.IsNaN(value) ||
            double.IsInfinity(value) || value * scale >= TimeSpan.MaxValue.TotalSeconds)
        {
            return false;
        }

        duration = TimeSpan.FromSeconds(value * scale);
        return true;
    }

    private static string AdvertiseIpFor(IPAddress listen)
    {
        if (!listen.Equals(IPAddress.Any) && !listen.Equals(IPAddress.IPv6Any))
        {
            return listen.ToString();
        }

        foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
        {
            if (nic.OperationalStatus != OperationalStatus.Up || nic.NetworkInterfaceType == NetworkInterfaceType.Loopback)
            {
                continue;
            }

            foreach (var address in nic.GetIPProperties().UnicastAddresses)
            {
                if (address.Address.AddressFamily == AddressFamily.InterNetwork && !IPAddress.IsLoopback(address.Address))
                {
                    return address.Address.ToString();
                }
            }
        }

        return "127.0.0.1";
    }
}
