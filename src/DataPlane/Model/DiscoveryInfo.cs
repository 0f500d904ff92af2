namespace Minuet.DataPlane.Model;

/// <summary>Mesos DiscoveryInfo: a service name and named ports (which may carry VIP labels).</summary>
public sealed record DiscoveryInfo
{
    public string? Name { get; init; }

    public IReadOnlyList<DiscoveryPort> Ports { get; init; } = [];
}

/// <summary>One <c>discovery.ports.ports[]</c> entry.</summary>
public sealed record DiscoveryPort
{
    public int Number { get; init; }

    /// <summary><c>tcp</c>, <c>udp</c>, or null/empty for both.</summary>
    public string? Protocol { get; init; }

    public string? Name { get; init; }

    /// <summary>Port labels, e.g. <c>VIP_0=/web:80</c>, <c>network-scope=container</c>.</summary>
    public IReadOnlyList<Label> Labels { get; init; } = [];
}
