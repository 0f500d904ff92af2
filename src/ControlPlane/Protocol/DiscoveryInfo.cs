namespace Minuet.ControlPlane.Protocol;

/// <summary>Mesos DiscoveryInfo in its protobuf-JSON nesting, so the master can copy it into <c>/master/state</c> unchanged.</summary>
internal sealed record DiscoveryInfo
{
    /// <summary>FRAMEWORK, CLUSTER or EXTERNAL (Marathon sends FRAMEWORK).</summary>
    public string Visibility { get; set; } = "FRAMEWORK";

    public string? Name { get; init; }

    /// <summary>Nested as Mesos nests it: <c>ports.ports[]</c>.</summary>
    public DiscoveryPorts? Ports { get; init; }

    public LabelList? Labels { get; init; }
}

/// <summary>The <c>ports</c> wrapper of DiscoveryInfo (protobuf <c>Ports { repeated Port ports }</c>).</summary>
internal sealed record DiscoveryPorts
{
    public IReadOnlyList<DiscoveryPort> Ports { get; set; } = [];
}

/// <summary>One discovery port; <c>labels.labels[]</c> may carry <c>VIP_0=/web:80</c> and <c>network-scope</c>.</summary>
internal sealed record DiscoveryPort
{
    public int Number { get; init; }

    public string? Name { get; init; }

    /// <summary><c>tcp</c> or <c>udp</c>.</summary>
    public string? Protocol { get; init; }

    public string? Visibility { get; init; }

    public LabelList? Labels { get; init; }
}

/// <summary>The protobuf <c>Labels { repeated Label labels }</c> wrapper.</summary>
internal sealed record LabelList
{
    public IReadOnlyList<Label> Labels { get; set; } = [];
}
