namespace Minuet.DataPlane.Model;

/// <summary>A framework (Marathon, Chronos ...) and its tasks.</summary>
public sealed record FrameworkInfo
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary><c>scheduler(1)@IP:port</c>; null when absent.</summary>
    public string? Pid { get; init; }

    public string? Hostname { get; init; }

    public IReadOnlyList<TaskInfo> Tasks { get; init; } = [];
}
