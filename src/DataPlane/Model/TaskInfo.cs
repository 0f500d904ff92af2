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

    /// <summary>True when the task carries a <c>health_check</c>: it serves only once a status says healthy.</summary>
    public bool HasHealthCheck { get; init; }

    public bool IsRunning => State == "TASK_RUNNING";

    /// <summary>
    /// Whether discovery should send clients here: running, not reported unhealthy by its latest status, and, when it
    /// has a health check, reported healthy (a task still in its grace period has not proven it can serve).
    /// </summary>
    public bool IsServing
    {
        get
        {
            if (!IsRunning)
            {
                return false;
            }

            bool? healthy = LatestHealth;
            return healthy != false && (!HasHealthCheck || healthy == true);
        }
    }

    /// <summary>The <c>healthy</c> flag of the most recent status (by timestamp, later entries win ties).</summary>
    public bool? LatestHealth
    {
        get
        {
            TaskStatusInfo? latest = null;
            foreach (var status in Statuses)
            {
                if (latest is null || status.Timestamp >= latest.Timestamp)
                {
                    latest = status;
                }
            }

            return latest?.Healthy;
        }
    }
}
