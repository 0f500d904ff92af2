namespace Minuet.ControlPlane.Scheduler.Apps;

/// <summary>
/// The app's container. With a <see cref="Docker"/> image (type <c>DOCKER</c>, or <c>MESOS</c> with
/// <c>docker.image</c>) the agent's Docker containerizer runs the image; without one, the task's <c>cmd</c> runs as a
/// process on the agent. <see cref="Volumes"/> are Docker bind mounts.
/// </summary>
internal sealed record ContainerSpec(string Type, DockerSpec? Docker, IReadOnlyList<PortMappingSpec> PortMappings)
{
    public IReadOnlyList<VolumeSpec> Volumes { get; init; } = [];

    public string? DockerImage => Docker?.Image;
}

/// <summary>Marathon's <c>container.docker</c>: image, pull policy, privileged mode and the admitted <c>parameters</c>.</summary>
internal sealed record DockerSpec(string Image, bool ForcePullImage, bool Privileged, IReadOnlyList<KeyValuePair<string, string>> Parameters);

/// <summary>A host path bound into the container (<c>mode</c> <c>RW</c> or <c>RO</c>).</summary>
internal sealed record VolumeSpec(string ContainerPath, string HostPath, string Mode);

/// <summary>Marathon network modes (1.5+ <c>networks[].mode</c>).</summary>
internal enum NetworkMode
{
    Host,
    Container,
    ContainerBridge,
}

/// <summary>One <c>networks[]</c> entry.</summary>
internal sealed record NetworkSpec(NetworkMode Mode, string? Name)
{
    public string ModeName => Mode switch
    {
        NetworkMode.Container => "container",
        NetworkMode.ContainerBridge => "container/bridge",
        _ => "host",
    };
}

/// <summary>Which tasks go first when an app scales down.</summary>
internal enum KillSelection
{
    YoungestFirst,
    OldestFirst,
}
