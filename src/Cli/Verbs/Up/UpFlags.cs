using System.CommandLine;
using Minuet.Cli.Cluster;

namespace Minuet.Cli.Verbs.Up;

/// <summary>The flags of <c>minuet up</c>, declared once so the verb adds them and <see cref="UpFlagsParser"/> reads them.</summary>
internal sealed class UpFlags
{
    public Option<string?> StateDir { get; } = new("--state-dir") { Description = "Where the master store, agent work dirs and logs live (default $MINUET_STATE_DIR, else ~/.minuet; the client verbs look there too)." };
    public Option<int> Agents { get; } = new("--agents") { Description = $"How many agents to run (1-{ClusterPlan.MaxAgents}); agent i listens on 127.0.0.(i+1):5051.", DefaultValueFactory = _ => 1 };
    public Option<string> MasterListen { get; } = new("--master-listen") { Description = "Master address.", DefaultValueFactory = _ => "127.0.0.1:5050" };
    public Option<string> MarathonListen { get; } = new("--marathon-listen") { Description = "Marathon /v2 API address (127.0.0.1 by default: the API has no authentication).", DefaultValueFactory = _ => "127.0.0.1:8080" };
    public Option<string?> DnsListen { get; } = new("--dns-listen") { Description = $"DNS address (default 127.0.0.1:53 as root, {UpVerb.UnprivilegedDns} otherwise)." };
    public Option<string> HttpListen { get; } = new("--http-listen") { Description = "Data-plane HTTP API address.", DefaultValueFactory = _ => "127.0.0.1:61421" };
    public Option<string> L4lb { get; } = new("--l4lb") { Description = "L4 VIP balancer: auto (on as root, default), on, off.", DefaultValueFactory = _ => "auto" };
    public Option<string> VipRange { get; } = new("--vip-range") { Description = "Block named VIPs get addresses from.", DefaultValueFactory = _ => "11.0.0.0/8" };
    public Option<bool> KeepTasks { get; } = new("--keep-tasks") { Description = "Leave tasks running at exit (the next `up` re-adopts them)." };
    public Option<string[]> DnsUpstream { get; } = new("--dns-upstream") { Description = "Resolvers for names outside the cluster, IP[:PORT][,IP[:PORT]...] (repeatable; default /etc/resolv.conf's); the data plane's --upstream." };
    public Option<bool> NoForward { get; } = new("--no-forward") { Description = "Do not forward names outside the cluster; answer REFUSED (the data plane's --no-forward)." };
    public Option<bool> NoDocker { get; } = new("--no-docker") { Description = "Do not use Docker: no daemon is looked for or started, Docker apps fail to launch." };
    public Option<string?> DockerSocket { get; } = new("--docker-socket") { Description = "Docker daemon to use when it answers (default DOCKER_HOST, else /var/run/docker.sock); otherwise up starts dockerd (docker.io) with its state under <state-dir>/docker." };
    public Option<bool> AllowPrivileged { get; } = new("--allow-privileged") { Description = "Allow apps with container.docker.privileged (the scheduler's --allow-privileged, the agents' --docker-allow-privileged)." };
    public Option<string> JobsListen { get; } = new("--jobs-listen") { Description = "Jobs service (Metronome /v1/jobs) address.", DefaultValueFactory = _ => "127.0.0.1:9000" };
    public Option<string> ChronosListen { get; } = new("--chronos-listen") { Description = "Jobs service's Chronos API (/v1/scheduler) address.", DefaultValueFactory = _ => "127.0.0.1:4400" };
    public Option<string> PackagesListen { get; } = new("--packages-listen") { Description = "Package service (Cosmos API and the local Universe) address.", DefaultValueFactory = _ => "127.0.0.1:7070" };
    public Option<string?> AdminRouterListen { get; } = new("--admin-router-listen") { Description = $"Admin Router address, the cluster's one entry (default 127.0.0.1:80 as root, {UpVerb.UnprivilegedAdminRouter} otherwise)." };
    public Option<string> Auth { get; } = new("--auth") { Description = "Admin Router's token check: on (default) or off (a trusted lab only).", DefaultValueFactory = _ => "on" };

    public Option<int> Masters { get; } = new("--masters")
    {
        Description = "How many masters (1 or 3; 5 also works): with 3, a three-member etcd cluster on 127.0.0.1 (client ports 2379, 22379, " +
                      "32379) holds the state, three masters and three schedulers elect a leader each, and agents and the data plane " +
                      "follow the leader. 1 (default): one master on SQLite. Needs etcd (Debian package etcd-server) for more than 1.",
        DefaultValueFactory = _ => 1,
    };

    public Option<string?> LeaderTtl { get; } = new("--leader-ttl")
    {
        Description = "With --masters 3 or 5: lease TTL of the masters', schedulers' and jobs services' leader keys (default 5s). " +
                      "A killed leader is replaced after about this; shorter fails over faster but a leader starved of CPU that long loses its term.",
    };

    public Option<bool> Clean { get; } = new("--clean") { Description = "Start with no apps: forget the apps, tasks and agents of earlier runs in the state dir (apps persist across runs otherwise)." };

    /// <summary>The flags in the order <c>--help</c> lists them.</summary>
    public IEnumerable<Option> All =>
    [
        StateDir, Agents, Masters, LeaderTtl, MasterListen, MarathonListen, DnsListen, HttpListen, L4lb, VipRange, KeepTasks, DnsUpstream,
        NoForward, Clean, NoDocker, DockerSocket, AllowPrivileged, PackagesListen, AdminRouterListen, Auth, JobsListen, ChronosListen,
    ];
}
