namespace Minuet.DataPlane.Model;

/// <summary>A task as <c>/master/state</c> describes it (only the fields discovery needs).</summary>
public sealed record TaskInfo
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    public required string FrameworkId { get; init; }

    /// <summary>The agent (<c>slave_id</c>) the task runs on.</summary>
    public required string AgentId { get; init; }

    /// <summary>Mesos state name, e.g. <c>TASK_RUNNING</c>.</summary>
    public required string State { get; init; }

    /// <summary>Host port ranges from <c>resources.ports</c>.</summary>
    public IReadOnlyList<PortRange> Ports { get; init; } = [];

    public DiscoveryInfo? Discovery { get; init; }

    public IReadOnlyList<TaskStatusInfo> Statuses { get; init; } = [];

    public IReadOnlyList<Label> Labels { get; init; } = [];

    public bool IsRunning => State == "TASK_RUNNING";
}
