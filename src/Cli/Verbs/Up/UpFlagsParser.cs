using System.CommandLine;
using System.Net;
using Minuet.Cli.Cluster;
using Minuet.DataPlane.Host;

namespace Minuet.Cli.Verbs.Up;

/// <summary>What <see cref="UpFlagsParser"/> made of the flags: options to run with, or every error found (each names its flag).</summary>
internal sealed record UpFlagsResult(UpOptions? Options, IReadOnlyList<string> Errors, int Masters, string? Notice);

/// <summary>
/// Checks <c>minuet up</c>'s flags together and builds <see cref="UpOptions"/>. All errors are collected, not just the first, so one run
/// shows everything to fix; the state directory is created only once the rest is valid.
/// </summary>
internal static class UpFlagsParser
{
    /// <summary>etcd grants no lease shorter than about this (its minimum TTL follows its election timeout).</summary>
    private static readonly TimeSpan MinimumLeaderTtl = TimeSpan.FromSeconds(2);

    public static UpFlagsResult Parse(ParseResult parse, UpFlags flags, bool root, Func<string, string?> findOnPath)
    {
        var errors = new List<string>();
        int agentCount = parse.GetValue(flags.Agents);
        if (agentCount is < 1 or > ClusterPlan.MaxAgents)
        {
            errors.Add($"--agents: must be from 1 to {ClusterPlan.MaxAgents}, got {agentCount}");
        }

        int masterCount = parse.GetValue(flags.Masters);
        string? etcdPath = null;
        if (masterCount is not (1 or 3 or 5))
        {
            errors.Add($"--masters: must be 1, 3 or 5 (an odd number, so a majority of etcd members survives one or two losses), got {masterCount}");
        }
        else if (masterCount > 1 && (etcdPath = findOnPath("etcd")) is null)
        {
            errors.Add($"--masters {masterCount}: needs etcd, which is not installed (no 'etcd' on PATH); install Debian's etcd-server (apt-get install etcd-server) or run without --masters");
        }

        var ttl = LeaderTtl(parse.GetValue(flags.LeaderTtl), masterCount, errors);
        var master = Endpoint("--master-listen", parse.GetValue(flags.MasterListen), "127.0.0.1:5050", errors);
        var marathon = Endpoint("--marathon-listen", parse.GetValue(flags.MarathonListen), "127.0.0.1:8080", errors);
        var dns = Endpoint("--dns-listen", parse.GetValue(flags.DnsListen), root ? "127.0.0.1:53" : UpVerb.UnprivilegedDns, errors);
        var http = Endpoint("--http-listen", parse.GetValue(flags.HttpListen), "127.0.0.1:61421", errors);
        var packages = Endpoint("--packages-listen", parse.GetValue(flags.PackagesListen), "127.0.0.1:7070", errors);
        var jobs = Endpoint("--jobs-listen", parse.GetValue(flags.JobsListen), "127.0.0.1:9000", errors);
        var chronosApi = Endpoint("--chronos-listen", parse.GetValue(flags.ChronosListen), "127.0.0.1:4400", errors);
        var router = Endpoint("--admin-router-listen", parse.GetValue(flags.AdminRouterListen), root ? "127.0.0.1:80" : UpVerb.UnprivilegedAdminRouter, errors);
        string? authText = parse.GetValue(flags.Auth);
        if (authText is not ("on" or "off"))
        {
            errors.Add($"--auth: must be on or off, got \"{authText}\"");
        }

        var upstreams = Upstreams(parse.GetValue(flags.DnsUpstream) ?? [], errors);
        if (parse.GetValue(flags.NoForward) && parse.GetValue(flags.DnsUpstream) is { Length: > 0 })
        {
            errors.Add("--dns-upstream/--no-forward: upstreams are pointless when forwarding is off; give one or the other");
        }

        if (parse.GetValue(flags.DockerSocket) is { } socketText)
        {
            if (parse.GetValue(flags.NoDocker))
            {
                errors.Add("--docker-socket/--no-docker: give one or the other");
            }
            else if (Docker.DockerEngine.Resolve(socketText, null).Problem is { } badSocket)
            {
                errors.Add($"--docker-socket: {badSocket}");
            }
        }

        bool balancer = Balancer(parse.GetValue(flags.L4lb), root, errors);
        string? stateDirectory = parse.GetValue(flags.StateDir) ?? UpEndpoints.DefaultStateDir();
        if (stateDirectory is null)
        {
            errors.Add("--state-dir: no home directory to keep state in (HOME is unset and the user has none); give --state-dir DIR or set MINUET_STATE_DIR");
        }
        else if (errors.Count == 0 && StateDirectory.Check(stateDirectory) is { } unusable) // creates it: only once the rest is valid
        {
            errors.Add($"--state-dir: cannot use {stateDirectory}: {unusable}; give --state-dir DIR (or set HOME or MINUET_STATE_DIR) to a directory this user can write");
        }

        if (errors.Count > 0)
        {
            return new UpFlagsResult(null, errors, masterCount, null);
        }

        string? notice = root ? null :
            $"minuet up: not root, so the L4 VIP balancer is off (DNS and the rest run; run it {UpVerb.AsRoot} to turn it on)" +
            (parse.GetValue(flags.DnsListen) is null ? $" and DNS listens on {UpVerb.UnprivilegedDns}" : string.Empty) +
            (parse.GetValue(flags.AdminRouterListen) is null ? $", Admin Router on {UpVerb.UnprivilegedAdminRouter}" : string.Empty);
        var options = new UpOptions
        {
            StateDir = Path.GetFullPath(stateDirectory!),
            Agents = agentCount,
            MasterListen = master,
            MarathonListen = marathon,
            DnsListen = dns,
            HttpListen = http,
            AdminRouterListen = router,
            PackagesListen = packages,
            JobsListen = jobs,
            ChronosListen = chronosApi,
            Auth = authText is "on",
            L4lb = balancer,
            VipRange = parse.GetValue(flags.VipRange)!,
            KeepTasks = parse.GetValue(flags.KeepTasks),
            Clean = parse.GetValue(flags.Clean),
            DnsUpstreams = upstreams,
            NoForward = parse.GetValue(flags.NoForward),
            Docker = !parse.GetValue(flags.NoDocker),
            DockerSocketFlag = parse.GetValue(flags.DockerSocket),
            AllowPrivileged = parse.GetValue(flags.AllowPrivileged),
            LeaderTtl = ttl,
            EtcdPath = etcdPath ?? "etcd",
        };
        return new UpFlagsResult(options, errors, masterCount, notice);
    }

    private static TimeSpan? LeaderTtl(string? text, int masterCount, List<string> errors)
    {
        if (text is null)
        {
            return null;
        }

        var ttl = DurationFlags.Positive("--leader-ttl", text, errors);
        if (masterCount == 1)
        {
            errors.Add("--leader-ttl: only with --masters 3 or 5 (one master on SQLite holds no lease)");
        }
        else if (ttl < MinimumLeaderTtl && ttl > TimeSpan.Zero)
        {
            errors.Add($"--leader-ttl: '{text}' is below etcd's shortest lease ({MinimumLeaderTtl.TotalSeconds:0} s)");
        }

        return ttl;
    }

    private static IPEndPoint Endpoint(string option, string? text, string fallback, List<string> errors)
    {
        if (DataPlaneOptionsParser.TryParseEndPoint(text ?? fallback, 0, out var endPoint) && endPoint.Port != 0)
        {
            return endPoint;
        }

        errors.Add($"{option}: must be IP:PORT (e.g. {fallback}), got \"{text}\"");
        return new IPEndPoint(IPAddress.Loopback, 1);
    }

    private static List<IPEndPoint> Upstreams(string[] values, List<string> errors)
    {
        var upstreams = new List<IPEndPoint>();
        foreach (string text in values.SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
        {
            if (DataPlaneOptionsParser.TryParseEndPoint(text, 53, out var upstream))
            {
                upstreams.Add(upstream);
            }
            else
            {
                errors.Add($"--dns-upstream: must be IP or IP:PORT, comma-separated (e.g. 10.0.0.2,10.0.0.3:53), got \"{text}\"");
            }
        }

        return upstreams;
    }

    private static bool Balancer(string? mode, bool root, List<string> errors)
    {
        switch (mode)
        {
            case "auto": return root;
            case "on":
                if (!root)
                {
                    errors.Add("--l4lb on: the L4 balancer needs root (iptables rules, an ipset, NFQUEUE); run up " + UpVerb.AsRoot + " or use --l4lb off");
                }

                return true;
            case "off": return false;
            default:
                errors.Add($"--l4lb: must be auto, on or off, got \"{mode}\"");
                return false;
        }
    }
}
