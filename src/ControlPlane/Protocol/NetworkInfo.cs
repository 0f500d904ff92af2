namespace Minuet.ControlPlane.Protocol;

/// <summary>
/// Mesos NetworkInfo. In a launch, a <c>name</c> asks for a container network (the agent's <c>--task-network</c>);
/// in a status update it reports the task's addresses, which the master copies into
/// <c>statuses[].container_status.network_infos</c>.
/// </summary>
internal sealed record NetworkInfo
{
    public IReadOnlyList<IpAddressInfo> IpAddresses { get; set; } = [];

    public string? Name { get; init; }

    public IReadOnlyList<string> Groups { get; set; } = [];

    public LabelList? Labels { get; init; }

    public IReadOnlyList<PortMapping> PortMappings { get; set; } = [];
}

/// <summary>One address of a network: protocol <c>IPv4</c> or <c>IPv6</c>.</summary>
internal sealed record IpAddressInfo
{
    public string Protocol { get; set; } = "IPv4";

    public required string IpAddress { get; init; }
}

/// <summary>Host port to container port mapping (Mesos <c>port_mappings[]</c>).</summary>
internal sealed record PortMapping
{
    public int HostPort { get; init; }

    public int ContainerPort { get; init; }

    public string Protocol { get; set; } = "tcp";
}

/// <summary>The container a task runs in. Type <c>MESOS</c> only; <c>network_infos[].name</c> picks a task network.</summary>
internal sealed record ContainerInfo
{
    public string Type { get; set; } = "MESOS";

    public IReadOnlyList<NetworkInfo> NetworkInfos { get; set; } = [];
}

/// <summary>Container status in an update: an id for the run, its networks, and the pid the agent watches.</summary>
internal sealed record ContainerStatus
{
    public ContainerId? ContainerId { get; init; }

    public IReadOnlyList<NetworkInfo> NetworkInfos { get; set; } = [];

    public int? ExecutorPid { get; init; }
}

/// <summary>Mesos <c>ContainerID { value }</c>.</summary>
internal sealed record ContainerId(string Value);
