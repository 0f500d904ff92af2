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

/// <summary>
/// Mesos ContainerInfo: the container a task runs in. <c>MESOS</c> without <see cref="Docker"/> runs a process task
/// (<c>network_infos[].name</c> picks a task network); <c>DOCKER</c> (or <c>MESOS</c> with <see cref="Docker"/>, which
/// this agent also hands to its Docker containerizer) runs <see cref="DockerInfo.Image"/> through the Engine API.
/// </summary>
internal sealed record ContainerInfo
{
    public string Type { get; set; } = "MESOS";

    public DockerInfo? Docker { get; init; }

    public IReadOnlyList<Volume> Volumes { get; set; } = [];

    /// <summary>For Docker <c>USER</c> networking, <c>[0].name</c> is the Docker network to join.</summary>
    public IReadOnlyList<NetworkInfo> NetworkInfos { get; set; } = [];
}

/// <summary>Mesos DockerInfo. <see cref="Network"/>: <c>HOST</c>, <c>BRIDGE</c>, <c>USER</c> (network named in <c>network_infos</c>) or <c>NONE</c>.</summary>
internal sealed record DockerInfo
{
    public required string Image { get; init; }

    public string Network { get; set; } = "HOST";

    /// <summary>Bridge/user mode publishing: <c>host_port</c> is the exact host port from the task's <c>ports</c> resource.</summary>
    public IReadOnlyList<PortMapping> PortMappings { get; set; } = [];

    public bool Privileged { get; set; }

    /// <summary><c>docker run</c> style <c>--key=value</c> options (the scheduler admits only a safe subset).</summary>
    public IReadOnlyList<DockerParameter> Parameters { get; set; } = [];

    public bool ForcePullImage { get; set; }
}

/// <summary>One Docker option (Mesos <c>Parameter {key, value}</c>), e.g. <c>{"key":"label","value":"a=b"}</c>.</summary>
internal sealed record DockerParameter(string Key, string Value);

/// <summary>Mesos Volume: a host path bound at <see cref="ContainerPath"/>; <see cref="Mode"/> <c>RW</c> or <c>RO</c>.</summary>
internal sealed record Volume
{
    public required string ContainerPath { get; init; }

    public string? HostPath { get; init; }

    public string Mode { get; set; } = "RW";
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
