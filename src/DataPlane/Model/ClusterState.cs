namespace Minuet.DataPlane.Model;

/// <summary>
/// The cluster as the data plane sees it: what a Mesos-compatible <c>/master/state</c> document (or the
/// master's push stream) says, reduced to what DNS and the L4 balancer need. Immutable; one per update.
/// </summary>
public sealed record ClusterState
{
    /// <summary>The leading master's pid, <c>master@IP:port</c>, or null when the document has none.</summary>
    public string? Leader { get; init; }

    /// <summary>Agents (Mesos "slaves") by document order.</summary>
    public IReadOnlyList<AgentInfo> Agents { get; init; } = [];

    /// <summary>Active frameworks with their tasks.</summary>
    public IReadOnlyList<FrameworkInfo> Frameworks { get; init; } = [];

    /// <summary>Monotonic version of the source (push-stream version, or a local counter for polled documents).</summary>
    public long Version { get; init; }

    public static ClusterState Empty { get; } = new();
}
