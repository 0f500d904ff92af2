using System.Globalization;
using System.Net;

namespace Minuet.Cli.Cluster;

/// <summary>
/// One process of the local cluster: its name, the <c>minuet</c> arguments, the URL that answers once it is up, and
/// its tier (members of a tier need those of lower tiers; they start in tier order and stop in reverse, a tier at once).
/// </summary>
/// <remarks>
/// <see cref="Program"/> null runs this <c>minuet</c> binary; otherwise that executable (the <c>dockerd</c> up starts, etcd).
/// A <c>unix://</c> <see cref="ReadyUrl"/> is a Docker socket, ready when it answers <c>/_ping</c>.
/// <paramref name="StartWithNext"/>: do not wait for this one to be ready before starting the next (etcd members are
/// ready only once a quorum of them runs, so they start together and the last one waits for the cluster's health).
/// </remarks>
internal sealed record ClusterMember(string Name, IReadOnlyList<string> Arguments, Uri ReadyUrl, string Describe, int Tier = 0,
    string? Program = null, TimeSpan? StopGrace = null, bool StartWithNext = false);

/// <summary>
/// Turns <see cref="UpOptions"/> into the processes <c>minuet up</c> runs, in start order: the master, the
/// Marathon-style scheduler, the agents, the data plane. Agent i listens on 127.0.0.(i+1):5051 and advertises that address as its
/// hostname, so DNS and VIP tables tell agents apart on one machine. Agents offer DC/OS's default port ranges (apps
/// asking for fixed host ports such as 10000 launch as on DC/OS) less every port this plan itself listens on; agent i
/// starts 1000·i above 1025, because Marathon-style port 0 takes the lowest free port and tasks binding 0.0.0.0 on
/// different agents of one machine would otherwise all get 1025.
/// </summary>
internal static partial class ClusterPlan
{
    public const int MaxAgents = 30;

    public static string AgentAddress(int index) => "127.0.0." + (index + 1).ToString(CultureInfo.InvariantCulture);

    public const int AgentPort = 5051;

    /// <summary>DC/OS's default agent port resources: 1025-32000 less ZooKeeper (2181, 3888), Mesos (5050-5051), Marathon (8080-8081) and 8181.</summary>
    public static readonly IReadOnlyList<(int Begin, int End)> DcosPortRanges = [(1025, 2180), (2182, 3887), (3889, 5049), (5052, 8079), (8082, 8180), (8182, 32000)];

    /// <summary>How far apart the agents' lowest ports are (see the type's remarks).</summary>
    public const int AgentPortStagger = 1000;

    /// <summary>Every port a member of this plan listens on; no agent offers them to tasks.</summary>
    public static IReadOnlySet<int> OwnPorts(UpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var own = new SortedSet<int> { options.MasterListen.Port, options.MarathonListen.Port, options.DnsListen.Port, options.HttpListen.Port, options.AdminRouterListen.Port, options.PackagesListen.Port, options.JobsListen.Port, options.ChronosListen.Port, AgentPort };
        own.UnionWith(options.MasterListens.Select(e => e.Port));
        own.UnionWith(options.MarathonListens.Select(e => e.Port));
        own.UnionWith(options.JobsListens.SelectMany(j => new[] { j.Metronome.Port, j.Chronos.Port }));
        own.UnionWith(options.Etcd.SelectMany(m => new[] { m.ClientPort, m.PeerPort }));
        return own;
    }

    /// <summary>The port ranges agent <paramref name="index"/> offers: DC/OS's, less <see cref="OwnPorts"/>, from 1025 + 1000·index up.</summary>
    public static IReadOnlyList<(int Begin, int End)> AgentPorts(UpOptions options, int index)
    {
        var own = OwnPorts(options);
        int floor = DcosPortRanges[0].Begin + (index * AgentPortStagger);
        var ranges = new List<(int Begin, int End)>();
        foreach (var (begin, end) in DcosPortRanges)
        {
            int start = Math.Max(begin, floor);
            for (int port = start; port <= end; port++)
            {
                if (own.Contains(port))
                {
                    if (port > start)
                    {
                        ranges.Add((start, port - 1));
                    }

                    start = port + 1;
                }
            }

            if (start <= end)
            {
                ranges.Add((start, end));
            }
        }

        return ranges;
    }

    /// <summary>Ranges as Mesos writes them inside <c>ports:[...]</c>: <c>1025-2180,2182-3887</c>.</summary>
    public static string FormatRanges(IEnumerable<(int Begin, int End)> ranges) =>
        string.Join(',', ranges.Select(r => $"{r.Begin}-{r.End}"));

    public static IReadOnlyList<ClusterMember> Build(UpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var members = new List<ClusterMember>();
        string master;
        string marathon = $"http://{Format(options.MarathonListen)}";
        if (options.HighAvailability)
        {
            master = HighAvailabilityControl(options, members);
        }
        else
        {
            master = $"http://{Format(options.MasterListen)}";
            var masterArgs = new List<string>
            {
                "master", "--listen", Format(options.MasterListen), "--state-dir", Path.Combine(options.StateDir, "master"),
                "--agent-ping-timeout", "2s", "--max-agent-ping-timeouts", "5", "--allocation-interval", "200ms",
            };
            members.Add(new ClusterMember("master", masterArgs, new Uri(master + "/health"), $"master      {master}   /master/state, /master/endpoints/stream", Tier: 0));
            members.Add(new ClusterMember(
                "scheduler",
                ["scheduler", "--master", master, "--marathon-listen", Format(options.MarathonListen), "--state-dir", Path.Combine(options.StateDir, "scheduler"), "--hostname", "127.0.0.1",
                    .. (options.AllowPrivileged ? ["--allow-privileged"] : Array.Empty<string>())],
                new Uri(marathon + "/ping"),
                $"marathon    {marathon}   /v2/apps, /v2/tasks, /v2/events",
                Tier: 1));
        }

        for (int i = 0; i < options.Agents; i++)
        {
            string ip = AgentAddress(i);
            string ports = FormatRanges(AgentPorts(options, i));
            members.Add(new ClusterMember(
                "agent" + i.ToString(CultureInfo.InvariantCulture),
                [
                    "agent", "--master", master, "--listen", $"{ip}:{AgentPort}", "--advertise-ip", ip, "--hostname", ip,
                    "--work-dir", Path.Combine(options.StateDir, "agent" + i.ToString(CultureInfo.InvariantCulture)),
                    "--resources", $"ports:[{ports}]", "--default-kill-grace", "3s",
                    .. DockerAgentArguments(options),
                ],
                new Uri($"http://{ip}:{AgentPort}/health"),
                $"agent {i,-5} http://{ip}:{AgentPort}   task ports {ports}, work dir {Path.Combine(options.StateDir, "agent" + i.ToString(CultureInfo.InvariantCulture))}",
                Tier: 2));
        }

        var dataplane = new List<string>
        {
            "dataplane", "--master-url", master, "--dns-listen", Format(options.DnsListen), "--http-listen", Format(options.HttpListen),
            "--l4lb", options.L4lb ? "on" : "off",
        };
        if (options.L4lb)
        {
            dataplane.AddRange(["--vip-range", options.VipRange]);
        }

        foreach (var upstream in options.DnsUpstreams)
        {
            dataplane.AddRange(["--upstream", Format(upstream)]);
        }

        if (options.NoForward)
        {
            dataplane.Add("--no-forward");
        }

        string http = $"http://{Format(options.HttpListen)}";
        members.Add(new ClusterMember("dataplane", dataplane, new Uri(http + "/metrics"),
            $"dns         {Format(options.DnsListen),-21}   *.marathon.mesos, SRV _app._tcp.marathon.mesos; {Forwarding(options)}\n"
            + $"  data plane  {http}  /v1/services, /vips, /metrics\n"
            + (options.L4lb ? $"  vips        {options.VipRange}   named VIPs (L4 balancer on)" : "  vips        off (--l4lb off, or not root: the L4 balancer needs root; run up " + Verbs.UpVerb.AsRoot + ")"),
            Tier: 3));
        members.Add(PackagesMember(options, $"http://{Format(options.MasterListen)}", marathon));
        if (options.HighAvailability)
        {
            members.AddRange(HighAvailabilityJobs(options, master));
        }
        else
        {
            members.Add(JobsMember(options, master));
        }

        members.Add(AdminRouter(options, master, marathon, http));
        return members;
    }

    /// <summary>The agent's Docker flags: the socket up chose (none without Docker), and privileged containers when allowed.</summary>
    public static IReadOnlyList<string> DockerAgentArguments(UpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.DockerSocket is not { } socket)
        {
            return [];
        }

        return options.AllowPrivileged ? ["--docker-socket", socket, "--docker-allow-privileged"] : ["--docker-socket", socket];
    }

    public static string Format(IPEndPoint endPoint) => endPoint.ToString();

    private static string Forwarding(UpOptions options) =>
        options.NoForward ? "other names REFUSED (--no-forward)"
        : options.DnsUpstreams.Count > 0 ? "other names forwarded to " + string.Join(", ", options.DnsUpstreams.Select(Format))
        : "other names forwarded to /etc/resolv.conf's servers";

    /// <summary>
    /// The "Try:" hint printed once the cluster runs, with the flags the client verbs need when an address is not
    /// their default (so the commands work when pasted).
    /// </summary>
    public static string TryLine(UpOptions options)
    {
        string marathon = Client(options.AdminRouterListen, 80, address => $" --url http://{address}");
        string dns = Client(options.DnsListen, 53, address => $" --server {address}");
        string vips = Client(options.HttpListen, 61421, address => $" --http http://{address}");
        string login = options.Auth
            ? $"Log in first (Admin Router checks a token; the first login creates the first user): ./minuet auth login --username NAME{marathon}\n"
            : string.Empty;
        string ui = "Web UI: http://" + UpEndpoints.ClientAddress(options.AdminRouterListen) + "/" + (options.Auth ? " (log in there with the same user and password)" : string.Empty) + "\n";
        return ui + login + $"Try: ./minuet app add examples/hello.json{marathon}; ./minuet app list{marathon}; ./minuet task list{marathon}; " +
            $"./minuet dns hello.marathon.mesos{dns}; ./minuet vips{vips}.\n" +
            $"Apps persist across `up` runs (in {options.StateDir}): the next `up` starts them again; `up --clean` starts with none. Ctrl-C stops everything.";
    }

    /// <summary>The flag for a listen address clients reach on loopback, or nothing when it is the client default.</summary>
    private static string Client(IPEndPoint listen, int defaultPort, Func<string, string> flag)
    {
        var address = listen.Address.Equals(IPAddress.Any) || listen.Address.Equals(IPAddress.IPv6Any) ? new IPEndPoint(IPAddress.Loopback, listen.Port) : listen;
        return address.Address.Equals(IPAddress.Loopback) && address.Port == defaultPort ? string.Empty : flag(Format(address));
    }
}
