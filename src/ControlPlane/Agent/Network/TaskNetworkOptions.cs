namespace Minuet.ControlPlane.Agent.Network;

/// <summary>
/// The agent's task network: a Linux bridge with a 198.18.0.0/15 subnet (benchmark-reserved space, so it never
/// collides with real networks), one network namespace and veth pair per task. <see cref="HostNetns"/> lets tests
/// put the bridge inside a namespace they created instead of the agent's own.
/// </summary>
internal sealed record TaskNetworkOptions
{
    /// <summary>The name launches ask for in <c>container.network_infos[].name</c>; any name is accepted when null.</summary>
    public string? Name { get; init; } = "minuet";

    public string Bridge { get; init; } = "minuet0";

    /// <summary>CIDR; the first host address is the bridge (gateway), the rest go to tasks.</summary>
    public string Subnet { get; init; } = "198.19.128.0/20";

    /// <summary>Named namespace (<c>ip netns</c>) that holds the bridge; null = the agent's own namespace.</summary>
    public string? HostNetns { get; init; }

    /// <summary>Prefix of per-task namespace names; keep it short (names are prefix + 10 hex digits).</summary>
    public string NamespacePrefix { get; init; } = "mtask-";
}
