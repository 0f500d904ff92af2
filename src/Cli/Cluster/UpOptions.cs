using System.Net;

namespace Minuet.Cli.Cluster;

/// <summary>What <c>minuet up</c> starts and where (validated; defaults documented in <see cref="UpVerbDefaults"/>).</summary>
internal sealed record UpOptions
{
    public required string StateDir { get; init; }

    public int Agents { get; init; } = 1;

    public IPEndPoint MasterListen { get; init; } = new(IPAddress.Loopback, 5050);

    /// <summary>
    /// With <c>--masters N</c> (N &gt; 1): where each master listens (the first is <see cref="MasterListen"/>), each with
    /// a scheduler at the same index of <see cref="MarathonListens"/>, all on the etcd cluster <see cref="Etcd"/>.
    /// Empty: today's single master on SQLite. Ports are chosen by <see cref="ClusterPlan.ChooseHa"/>.
    /// </summary>
    public IReadOnlyList<IPEndPoint> MasterListens { get; init; } = [];

    /// <summary>The schedulers' Marathon API addresses, one beside each master (see <see cref="MasterListens"/>).</summary>
    public IReadOnlyList<IPEndPoint> MarathonListens { get; init; } = [];

    /// <summary>The jobs services' Metronome and Chronos addresses, one pair beside each master (the first pair is <see cref="JobsListen"/>, <see cref="ChronosListen"/>).</summary>
    public IReadOnlyList<(IPEndPoint Metronome, IPEndPoint Chronos)> JobsListens { get; init; } = [];

    /// <summary>The etcd members <c>up --masters N</c> runs (empty for a single master).</summary>
    public IReadOnlyList<EtcdMember> Etcd { get; init; } = [];

    /// <summary>The etcd binary (Debian's etcd-server: /usr/bin/etcd).</summary>
    public string EtcdPath { get; init; } = "etcd";

    /// <summary>True with several masters on etcd.</summary>
    public bool HighAvailability => MasterListens.Count > 1;

    public IPEndPoint MarathonListen { get; init; } = new(IPAddress.Loopback, 8080);

    public IPEndPoint DnsListen { get; init; } = new(IPAddress.Loopback, 53);

    public IPEndPoint HttpListen { get; init; } = new(IPAddress.Loopback, 61421);

    /// <summary>Admin Router, in front of everything else (which keeps to 127.0.0.1).</summary>
    public IPEndPoint AdminRouterListen { get; init; } = new(IPAddress.Loopback, 80);

    /// <summary>Admin Router's token check (<c>--auth off</c> only for a trusted lab).</summary>
    public bool Auth { get; init; } = true;


    /// <summary>The package service (<c>minuet cosmos</c>), where Admin Router sends <c>/package/</c>, as on DC/OS.</summary>
    public IPEndPoint PackagesListen { get; init; } = new(IPAddress.Loopback, 7070);

    /// <summary>The jobs service's Metronome API (<c>minuet jobs</c>), behind Admin Router's <c>/service/metronome/</c>.</summary>
    public IPEndPoint JobsListen { get; init; } = new(IPAddress.Loopback, 9000);

    /// <summary>The jobs service's Chronos API.</summary>
    public IPEndPoint ChronosListen { get; init; } = new(IPAddress.Loopback, 4400);

    /// <summary>Run the L4 VIP balancer (needs root: it installs iptables rules and an ipset).</summary>
    public bool L4lb { get; init; }

    public string VipRange { get; init; } = "11.0.0.0/8";

    /// <summary>Leave task processes running at exit (the next <c>up</c> re-adopts them); by default they are killed.</summary>
    public bool KeepTasks { get; init; }

    /// <summary>Resolvers the DNS server forwards other names to (the data plane's <c>--upstream</c>); empty: /etc/resolv.conf's.</summary>
    public IReadOnlyList<IPEndPoint> DnsUpstreams { get; init; } = [];

    /// <summary>Answer names outside the cluster's domains with REFUSED instead of forwarding them (the data plane's <c>--no-forward</c>).</summary>
    public bool NoForward { get; init; }

    /// <summary>Forget earlier runs' apps, tasks and agents before starting (<see cref="CleanStart"/>).</summary>
    public bool Clean { get; init; }

    /// <summary>Use Docker (<c>--no-docker</c> turns it off): a daemon that answers, else a <c>dockerd</c> up starts.</summary>
    public bool Docker { get; init; } = true;

    /// <summary><c>--docker-socket</c>: the daemon to try first (else <c>DOCKER_HOST</c>, else /var/run/docker.sock).</summary>
    public string? DockerSocketFlag { get; init; }

    /// <summary>The Docker socket the agents get (<c>--docker-socket</c>); null: no Docker for this run.</summary>
    public string? DockerSocket { get; init; }

    /// <summary><c>--allow-privileged</c>: the scheduler admits privileged containers and agents run them.</summary>
    public bool AllowPrivileged { get; init; }

    /// <summary><c>--leader-ttl</c> for every elected member of <c>--masters N</c>; null keeps their default (5 s).</summary>
    public TimeSpan? LeaderTtl { get; init; }

    /// <summary>Where children write their logs.</summary>
    public string LogDir => Path.Combine(StateDir, "logs");
}
