namespace Minuet.ControlPlane.Scheduler.Apps;

/// <summary>
/// The app's container: only <c>MESOS</c> is run here. An image (<c>docker.image</c>) is recorded and echoed but not
/// pulled: the task runs its <c>cmd</c> on the agent's filesystem.
/// </summary>
internal sealed record ContainerSpec(string Type, string? DockerImage, IReadOnlyList<PortMappingSpec> PortMappings);

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
