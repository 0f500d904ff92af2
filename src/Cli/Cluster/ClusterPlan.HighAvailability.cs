using System.Globalization;
using System.Net;

namespace Minuet.Cli.Cluster;

/// <summary>The plan of <c>up --masters N</c>: etcd members, then a master and a scheduler per index.</summary>
internal static partial class ClusterPlan
{
    /// <summary>Every master's URL, comma-separated, as agents, schedulers and the data plane take them.</summary>
    public static string MasterUrls(UpOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.Join(',', (options.HighAvailability ? options.MasterListens : [options.MasterListen]).Select(e => "http://" + Format(e)));
    }

    /// <summary>etcd's <c>--initial-cluster</c>: <c>infra0=http://127.0.0.1:2380,...</c>.</summary>
    public static string InitialCluster(UpOptions options) => string.Join(',', options.Etcd.Select(m => $"{m.Name}={m.PeerUrl}"));

    /// <summary>
    /// The etcd members (tier -1: stopped last), then a master and a scheduler per index (one leads, the others stand
    /// by). Returns every master's URL for the agents and the data plane.
    /// </summary>
    private static string HighAvailabilityControl(UpOptions options, List<ClusterMember> members)
    {
        string endpoints = string.Join(',', options.Etcd.Select(m => m.ClientUrl));
        string cluster = InitialCluster(options);
        for (int i = 0; i < options.Etcd.Count; i++)
        {
            var member = options.Etcd[i];
            members.Add(new ClusterMember(
                member.Name,
                [
                    "--name", member.Name, "--data-dir", Path.Combine(options.StateDir, member.Name),
                    "--listen-client-urls", member.ClientUrl, "--advertise-client-urls", member.ClientUrl,
                    "--listen-peer-urls", member.PeerUrl, "--initial-advertise-peer-urls", member.PeerUrl,
                    "--initial-cluster", cluster, "--initial-cluster-token", "minuet-etcd", "--initial-cluster-state", "new",
                ],
                new Uri(member.ClientUrl + "/health"),
                $"{member.Name,-11} {member.ClientUrl}   peer {member.PeerUrl}, data {Path.Combine(options.StateDir, member.Name)}",
                Tier: -1,
                Program: options.EtcdPath,
                StartWithNext: i < options.Etcd.Count - 1));
        }

        string masters = MasterUrls(options);
        for (int i = 0; i < options.MasterListens.Count; i++)
        {
            string index = i.ToString(CultureInfo.InvariantCulture);
            string url = $"http://{Format(options.MasterListens[i])}";
            members.Add(new ClusterMember(
                "master" + index,
                [
                    "master", "--listen", Format(options.MasterListens[i]), "--state-dir", Path.Combine(options.StateDir, "master" + index),
                    "--store", "etcd", "--etcd-endpoints", endpoints,
                    "--agent-ping-timeout", "2s", "--max-agent-ping-timeouts", "5", "--allocation-interval", "200ms",
                    .. LeaderTtl(options),
                ],
                new Uri(url + "/health"),
                $"master{i,-5} {url}   /master/state, /master/redirect (one leads; the others redirect to it)",
                Tier: 0));
        }

        for (int i = 0; i < options.MarathonListens.Count; i++)
        {
            string index = i.ToString(CultureInfo.InvariantCulture);
            string url = $"http://{Format(options.MarathonListens[i])}";
            members.Add(new ClusterMember(
                "scheduler" + index,
                [
                    "scheduler", "--master", masters, "--marathon-listen", Format(options.MarathonListens[i]),
                    "--state-dir", Path.Combine(options.StateDir, "scheduler" + index), "--hostname", "127.0.0.1",
                    "--store", "etcd", "--etcd-endpoints", endpoints,
                    .. LeaderTtl(options),
                    .. (options.AllowPrivileged ? ["--allow-privileged"] : Array.Empty<string>()),
                ],
                new Uri(url + "/ping"),
                $"marathon{i,-3} {url}   /v2/apps, /v2/leader (standbys proxy to the leader)",
                Tier: 1));
        }

        return masters;
    }

    /// <summary>
    /// A jobs service beside each master (<c>--store etcd</c>): one leads on <c>/minuet/metronome/leader</c> and
    /// launches, the others proxy the Metronome and Chronos APIs to it.
    /// </summary>
    private static IEnumerable<ClusterMember> HighAvailabilityJobs(UpOptions options, string masters)
    {
        string endpoints = string.Join(',', options.Etcd.Select(m => m.ClientUrl));
        for (int i = 0; i < options.JobsListens.Count; i++)
        {
            var (metronome, chronos) = options.JobsListens[i];
            string index = i.ToString(CultureInfo.InvariantCulture);
            string url = "http://" + UpEndpoints.ClientAddress(metronome);
            yield return new ClusterMember(
                "jobs" + index,
                [
                    "jobs", "--listen", Format(metronome), "--chronos-listen", Format(chronos), "--master", masters, "--hostname", "127.0.0.1",
                    "--store", "etcd", "--etcd-endpoints", endpoints,
                    .. LeaderTtl(options),
                ],
                new Uri(url + "/ping"),
                $"jobs{i,-7} {url}   /v1/jobs (Metronome), Chronos http://{UpEndpoints.ClientAddress(chronos)}/v1/scheduler/* (standbys proxy to the leader)",
                Tier: 4);
        }
    }

    /// <summary><c>--leader-ttl</c> in milliseconds when <c>up</c> was given one (otherwise each member's default).</summary>
    private static string[] LeaderTtl(UpOptions options) =>
        options.LeaderTtl is { } ttl ? ["--leader-ttl", ((long)ttl.TotalMilliseconds).ToString(CultureInfo.InvariantCulture) + "ms"] : [];

    /// <summary>etcd client ports of the issue (2379, 22379, 32379, then 42379...) and peer ports one above each.</summary>
    public static int EtcdClientPort(int index) => index == 0 ? 2379 : 2379 + ((index + 1) * 10000);

    /// <summary>
    /// <c>--masters N</c>: N etcd members, masters from <see cref="UpOptions.MasterListen"/>'s port up and schedulers
    /// from <see cref="UpOptions.MarathonListen"/>'s, each port the next one that no other part of the plan uses and
    /// <paramref name="isFree"/> says nothing listens on (so 5050, 5052, 5053: agent 0 has 127.0.0.1:5051).
    /// </summary>
    public static UpOptions ChooseHa(UpOptions options, int masters, Func<IPEndPoint, bool> isFree)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(isFree);
        var taken = new HashSet<int>(OwnPorts(options));
        taken.ExceptWith([options.MasterListen.Port, options.MarathonListen.Port, options.JobsListen.Port, options.ChronosListen.Port]);
        int Next(IPAddress address, int from)
        {
            for (int port = from; port <= 65535; port++)
            {
                if (!taken.Contains(port) && isFree(new IPEndPoint(address, port)))
                {
                    taken.Add(port);
                    return port;
                }
            }

            throw new InvalidOperationException($"no free port above {from} on {address}");
        }

        var etcd = new List<EtcdMember>();
        for (int i = 0; i < masters; i++)
        {
            int client = Next(IPAddress.Loopback, EtcdClientPort(i));
            int peer = Next(IPAddress.Loopback, client + 1);
            etcd.Add(new EtcdMember("etcd" + i.ToString(CultureInfo.InvariantCulture), client, peer));
        }

        var masterListens = new List<IPEndPoint>();
        var marathonListens = new List<IPEndPoint>();
        int masterPort = options.MasterListen.Port;
        int marathonPort = options.MarathonListen.Port;
        for (int i = 0; i < masters; i++)
        {
            masterPort = Next(options.MasterListen.Address, masterPort);
            masterListens.Add(new IPEndPoint(options.MasterListen.Address, masterPort));
            marathonPort = Next(options.MarathonListen.Address, marathonPort);
            marathonListens.Add(new IPEndPoint(options.MarathonListen.Address, marathonPort));
        }

        // One jobs service beside each master: the first keeps --jobs-listen/--chronos-listen (9000, 4400) when free.
        var jobsListens = new List<(IPEndPoint Metronome, IPEndPoint Chronos)>();
        int jobsPort = options.JobsListen.Port;
        int chronosPort = options.ChronosListen.Port;
        for (int i = 0; i < masters; i++)
        {
            jobsPort = Next(options.JobsListen.Address, jobsPort);
            chronosPort = Next(options.ChronosListen.Address, chronosPort);
            jobsListens.Add((new IPEndPoint(options.JobsListen.Address, jobsPort), new IPEndPoint(options.ChronosListen.Address, chronosPort)));
        }

        return options with
        {
            MasterListen = masterListens[0],
            JobsListen = jobsListens[0].Metronome,
            ChronosListen = jobsListens[0].Chronos,
            JobsListens = jobsListens,
            MarathonListen = marathonListens[0],
            MasterListens = masterListens,
            MarathonListens = marathonListens,
            Etcd = etcd,
        };
    }
}
