namespace Minuet.DataPlane.Model;

/// <summary>One entry of a task's <c>statuses</c>: state, time, health, labels and container network addresses.</summary>
public sealed record TaskStatusInfo
{
    public required string State { get; init; }

    /// <summary>Seconds since the Unix epoch, as Mesos writes it.</summary>
    public double Timestamp { get; init; }

    /// <summary>Result of the task's health check; null when it has none.</summary>
    public bool? Healthy { get; init; }

    public IReadOnlyList<Label> Labels { get; init; } = [];

    /// <summary>All <c>container_status.network_infos[].ip_addresses[].ip_address</c> values, in order.</summary>
    public IReadOnlyList<string> NetworkIpAddresses { get; init; } = [];
}
