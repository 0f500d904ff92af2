using Minuet.ControlPlane.Master;

namespace Minuet.ControlPlane.Scheduler.Tasks;

/// <summary>
/// What the scheduler knows of one task (Marathon's instance): where it runs, its ports, the app config version it
/// was launched with, and its latest Mesos state and health. Changed only under the scheduler lock.
/// </summary>
internal sealed class SchedulerTask
{
    public required string Id { get; init; }

    public required string AppId { get; init; }

    public required string AgentId { get; init; }

    public required string Host { get; init; }

    /// <summary>Agent attributes at launch, for constraints on later placements.</summary>
    public Dictionary<string, string> Attributes { get; init; } = new(StringComparer.Ordinal);

    public List<int> Ports { get; init; } = [];

    public List<int> ServicePorts { get; init; } = [];

    public List<string> IpAddresses { get; set; } = [];

    /// <summary>The app's config version the task runs (a newer one means the task is replaced).</summary>
    public DateTimeOffset Version { get; init; }

    public TaskState State { get; set; } = TaskState.Staging;

    public DateTimeOffset StagedAt { get; init; }

    public DateTimeOffset? StartedAt { get; set; }

    /// <summary>The agent's verdict (null until the first one, or without health checks).</summary>
    public bool? Healthy { get; set; }

    public bool HasHealthChecks { get; init; }

    /// <summary>The scheduler asked for the kill: its terminal update does not count as a failure.</summary>
    public bool KillRequested { get; set; }

    public DateTimeOffset? KillRequestedAt { get; set; }

    /// <summary>Not terminal and not on an unreachable agent: it counts toward the app's instances.</summary>
    public bool IsLive => !State.IsTerminal() && State is not TaskState.Unreachable and not TaskState.Lost and not TaskState.Unknown;

    public bool IsRunning => State == TaskState.Running;

    /// <summary>Running, and healthy when it has checks: what deployments wait for.</summary>
    public bool IsHealthy => IsRunning && (!HasHealthChecks || Healthy == true);
}
