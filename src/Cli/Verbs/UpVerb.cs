using System.CommandLine;
using System.Net;
using Minuet.Cli.Cluster;
using Minuet.DataPlane.Host;

namespace Minuet.Cli.Verbs;

/// <summary>
/// <c>minuet up</c> (as root for DNS on :53 and VIPs): a whole cluster on this machine (master with the scheduler, agents, data plane) as child
/// processes, until Ctrl-C. Without root the L4 balancer is off and DNS moves to 127.0.0.1:8053 unless given.
/// </summary>
internal static class UpVerb
{
    public const string UnprivilegedDns = "127.0.0.1:8053";

    /// <summary>Admin Router's address without root (port 80 needs it), as DNS moves to 8053.</summary>
    public const string UnprivilegedAdminRouter = "127.0.0.1:8800";

    /// <summary>How to run up as root, said wherever root is needed (sudo is absent in containers and root shells).</summary>
    public const string AsRoot = "as root (`sudo ./minuet up` or, as root, `./minuet up`)";

    public static Command Create()
    {
        var stateDir = new Option<string?>("--state-dir") { Description = "Where the master store, agent work dirs and logs live (default $MINUET_STATE_DIR, else ~/.minuet; the client verbs look there too)." };
        var agents = new Option<int>("--agents") { Description = $"How many agents to run (1-{ClusterPlan.MaxAgents}); agent i listens on 127.0.0.(i+1):5051.", DefaultValueFactory = _ => 1 };
        var masterListen = new Option<string>("--master-listen") { Description = "Master address.", DefaultValueFactory = _ => "127.0.0.1:5050" };
        var marathonListen = new Option<string>("--marathon-listen") { Description = "Marathon /v2 API address (127.0.0.1 by default: the API has no authentication).", DefaultValueFactory = _ => "127.0.0.1:8080" };
        var dnsListen = new Option<string?>("--dns-listen") { Description = $"DNS address (default 127.0.0.1:53 as root, {UnprivilegedDns} otherwise)." };
        var httpListen = new Option<string>("--http-listen") { Description = "Data-plane HTTP API address.", DefaultValueFactory = _ => "127.0.0.1:61421" };
        var l4lb = new Option<string>("--l4lb") { Description = "L4 VIP balancer: auto (on as root, default), on, off.", DefaultValueFactory = _ => "auto" };
        var vipRange = new Option<string>("--vip-range") { Description = "Block named VIPs get addresses from.", DefaultValueFactory = _ => "11.0.0.0/8" };
        var keepTasks = new Option<bool>("--keep-tasks") { Description = "Leave tasks running at exit (the next `up` re-adopts them)." };
        var dnsUpstream = new Option<string[]>("--dns-upstream") { Description = "Resolvers for names outside the cluster, IP[:PORT][,IP[:PORT]...] (repeatable; default /etc/resolv.conf's); the data plane's --upstream." };
        var noForward = new Option<bool>("--no-forward") { Description = "Do not forward names outside the cluster; answer REFUSED (the data plane's --no-forward)." };
        var noDocker = new Option<bool>("--no-docker") { Description = "Do not use Docker: no daemon is looked for or started, Docker apps fail to launch." };
        var dockerSocket = new Option<string?>("--docker-socket") { Description = "Docker daemon to use when it answers (default DOCKER_HOST, else /var/run/docker.sock); otherwise up starts dockerd (docker.io) with its state under <state-dir>/docker." };
        var allowPrivileged = new Option<bool>("--allow-privileged") { Description = "Allow apps with container.docker.privileged (the scheduler's --allow-privileged, the agents' --docker-allow-privileged)." };
        var jobsListen = new Option<string>("--jobs-listen") { Description = "Jobs service (Metronome /v1/jobs) address.", DefaultValueFactory = _ => "127.0.0.1:9000" };
        var chronosListen = new Option<string>("--chronos-listen") { Description = "Jobs service's Chronos API (/v1/scheduler) address.", DefaultValueFactory = _ => "127.0.0.1:4400" };
        var packagesListen = new Option<string>("--packages-listen") { Description = "Package service (Cosmos API and the local Universe) address.", DefaultValueFactory = _ => "127.0.0.1:7070" };
        var routerListen = new Option<string?>("--admin-router-listen") { Description = $"Admin Router address, the cluster's one entry (default 127.0.0.1:80 as root, {UnprivilegedAdminRouter} otherwise)." };
        var auth = new Option<string>("--auth") { Description = "Admin Router's token check: on (default) or off (a trusted lab only).", DefaultValueFactory = _ => "on" };
        var masters = new Option<int>("--masters")
        {
            Description = "How many masters (1 or 3; 5 also works): with 3, a three-member etcd cluster on 127.0.0.1 (client ports 2379, 22379, " +
                          "32379) holds the state, three masters and three schedulers elect a leader each, and agents and the data plane " +
                          "follow the leader. 1 (default): one master on SQLite. Needs etcd (Debian package etcd-server) for more than 1.",
            DefaultValueFactory = _ => 1,
        };
        var leaderTtl = new Option<string?>("--leader-ttl")
        {
            Description = "With --masters 3 or 5: lease TTL of the masters', schedulers' and jobs services' leader keys (default 5s). " +
                          "A killed leader is replaced after about this; shorter fails over faster but a leader starved of CPU that long loses its term.",
        };
        var clean = new Option<bool>("--clean") { Description = "Start with no apps: forget the apps, tasks and agents of earlier runs in the state dir (apps persist across runs otherwise)." };

        var command = new Command("up", "Start a one-machine cluster (master, scheduler, agents, data plane) until Ctrl-C; run " + AsRoot + " for DNS on :53 and VIPs.");
        foreach (var option in new Option[] { stateDir, agents, masters, leaderTtl, masterListen, marathonListen, dnsListen, httpListen, l4lb, vipRange, keepTasks, dnsUpstream, noForward, clean, noDocker, dockerSocket, allowPrivileged, packagesListen, routerListen, auth, jobsListen, chronosListen })
        {
            command.Options.Add(option);
        }

        command.SetAction(async (parse, cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            bool root = Environment.IsPrivilegedProcess;
            var errors = new List<string>();
            int agentCount = parse.GetValue(agents);
            if (agentCount is < 1 or > ClusterPlan.MaxAgents)
            {
                errors.Add($"--agents: must be from 1 to {ClusterPlan.MaxAgents}, got {agentCount}");
            }

            int masterCount = parse.GetValue(masters);
            string? etcdPath = null;
            if (masterCount is not (1 or 3 or 5))
            {
                errors.Add($"--masters: must be 1, 3 or 5 (an odd number, so a majority of etcd members survives one or two losses), got {masterCount}");
            }
            else if (masterCount > 1 && (etcdPath = FindOnPath("etcd")) is null)
            {
                errors.Add($"--masters {masterCount}: needs etcd, which is not installed (no 'etcd' on PATH); install Debian's etcd-server (apt-get install etcd-server) or run without --masters");
            }

            TimeSpan? ttl = null;
            if (parse.GetValue(leaderTtl) is { } ttlText)
            {
                ttl = DurationFlags.Positive("--leader-ttl", ttlText, errors);
                if (masterCount == 1)
                {
                    errors.Add("--leader-ttl: only with --masters 3 or 5 (one master on SQLite holds no lease)");
                }
                else if (ttl < MinimumLeaderTtl && ttl > TimeSpan.Zero)
                {
                    errors.Add($"--leader-ttl: '{ttlText}' is below etcd's shortest lease ({MinimumLeaderTtl.TotalSeconds:0} s)");
                }
            }

            IPEndPoint Endpoint(string option, string? text, string fallback)
            {
                if (DataPlaneOptionsParser.TryParseEndPoint(text ?? fallback, 0, out var endPoint) && endPoint.Port != 0)
                {
                    return endPoint;
                }

                errors.Add($"{option}: must be IP:PORT (e.g. {fallback}), got \"{text}\"");
                return new IPEndPoint(IPAddress.Loopback, 1);
            }

            var master = Endpoint("--master-listen", parse.GetValue(masterListen), "127.0.0.1:5050");
            var marathon = Endpoint("--marathon-listen", parse.GetValue(marathonListen), "127.0.0.1:8080");
            var dns = Endpoint("--dns-listen", parse.GetValue(dnsListen), root ? "127.0.0.1:53" : UnprivilegedDns);
            var http = Endpoint("--http-listen", parse.GetValue(httpListen), "127.0.0.1:61421");
            var packages = Endpoint("--packages-listen", parse.GetValue(packagesListen), "127.0.0.1:7070");
            var jobs = Endpoint("--jobs-listen", parse.GetValue(jobsListen), "127.0.0.1:9000");
            var chronosApi = Endpoint("--chronos-listen", parse.GetValue(chronosListen), "127.0.0.1:4400");
            var router = Endpoint("--admin-router-listen", parse.GetValue(routerListen), root ? "127.0.0.1:80" : UnprivilegedAdminRouter);
            bool authOn = parse.GetValue(auth) is "on";
            if (parse.GetValue(auth) is not ("on" or "off"))
            {
                errors.Add($"--auth: must be on or off, got \"{parse.GetValue(auth)}\"");
            }
            var upstreams = new List<IPEndPoint>();
            foreach (string text in (parse.GetValue(dnsUpstream) ?? []).SelectMany(v => v.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)))
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

            if (parse.GetValue(noForward) && parse.GetValue(dnsUpstream) is { Length: > 0 })
            {
                errors.Add("--dns-upstream/--no-forward: upstreams are pointless when forwarding is off; give one or the other");
            }

            if (parse.GetValue(dockerSocket) is { } socketText)
            {
                if (parse.GetValue(noDocker))
                {
                    errors.Add("--docker-socket/--no-docker: give one or the other");
                }
                else if (Docker.DockerEngine.Resolve(socketText, null).Problem is { } badSocket)
                {
                    errors.Add($"--docker-socket: {badSocket}");
                }
            }

            bool balancer = false;
            switch (parse.GetValue(l4lb))
            {
                case "auto": balancer = root; break;
                case "on":
                    balancer = true;
                    if (!root)
                    {
                        errors.Add("--l4lb on: the L4 balancer needs root (iptables rules, an ipset, NFQUEUE); run up " + AsRoot + " or use --l4lb off");
                    }

                    break;
                case "off": break;
                default: errors.Add($"--l4lb: must be auto, on or off, got \"{parse.GetValue(l4lb)}\""); break;
            }

            string? stateDirectory = parse.GetValue(stateDir) ?? UpEndpoints.DefaultStateDir();
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
                foreach (var e in errors)
                {
                    await error.WriteLineAsync($"minuet up: {e}").ConfigureAwait(false);
                }

                return 1;
            }

            if (!root)
            {
                await output.WriteLineAsync($"minuet up: not root, so the L4 VIP balancer is off (DNS and the rest run; run it {AsRoot} to turn it on){(parse.GetValue(dnsListen) is null ? $" and DNS listens on {UnprivilegedDns}" : string.Empty)}{(parse.GetValue(routerListen) is null ? $", Admin Router on {UnprivilegedAdminRouter}" : string.Empty)}").ConfigureAwait(false);
            }

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
                Auth = authOn,
                L4lb = balancer,
                VipRange = parse.GetValue(vipRange)!,
                KeepTasks = parse.GetValue(keepTasks),
                Clean = parse.GetValue(clean),
                DnsUpstreams = upstreams,
                NoForward = parse.GetValue(noForward),
                Docker = !parse.GetValue(noDocker),
                DockerSocketFlag = parse.GetValue(dockerSocket),
                AllowPrivileged = parse.GetValue(allowPrivileged),
                LeaderTtl = ttl,
            };
            if (masterCount > 1)
            {
                options = ClusterPlan.ChooseHa(options with { EtcdPath = etcdPath! }, masterCount, IsFree);
            }

            return await new LocalCluster(options, output, error).RunAsync(cancellationToken).ConfigureAwait(false);
        });
        return command;
    }

    /// <summary>etcd grants no lease shorter than about this (its minimum TTL follows its election timeout).</summary>
    private static readonly TimeSpan MinimumLeaderTtl = TimeSpan.FromSeconds(2);

    /// <summary>The full path of <paramref name="program"/> on PATH, or null.</summary>
    internal static string? FindOnPath(string program) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, program))
            .FirstOrDefault(File.Exists);

    /// <summary>Whether nothing listens on <paramref name="endPoint"/> (a bind succeeds).</summary>
    private static bool IsFree(IPEndPoint endPoint)
    {
        try
        {
            using var listener = new System.Net.Sockets.TcpListener(endPoint);
            listener.Start();
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
