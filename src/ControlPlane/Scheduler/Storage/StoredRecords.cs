using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler.Deployments;

namespace Minuet.ControlPlane.Scheduler.Storage;

/// <summary>An app as stored: its definition JSON (Marathon's shape) and versions.</summary>
internal sealed record StoredApp(string Id, string Json, DateTimeOffset Version, DateTimeOffset ConfigVersion, bool Deleted);

/// <summary>One entry of an app's definition history (<c>/v2/apps/{id}/versions</c>), Marathon's shape as JSON.</summary>
internal sealed record StoredAppVersion(string AppId, DateTimeOffset Version, DateTimeOffset ConfigVersion, string Json);

/// <summary>A task as stored: enough to count it, place around it and reconcile it with the master.</summary>
internal sealed record StoredTask
{
    public required string Id { get; init; }

    public required string AppId { get; init; }

    public required string AgentId { get; init; }

    public required string Host { get; init; }

    public Dictionary<string, string> Attributes { get; init; } = [];

    public List<int> Ports { get; init; } = [];

    public List<int> ServicePorts { get; init; } = [];

    public List<string> IpAddresses { get; init; } = [];

    public DateTimeOffset Version { get; init; }

    public TaskState State { get; init; }

    public DateTimeOffset StagedAt { get; init; }

    public DateTimeOffset? StartedAt { get; init; }

    /// <summary>The agent check's verdict (the scheduler's own checks are probed again after a restart).</summary>
    public bool? Healthy { get; init; }

    public bool HasHealthChecks { get; init; }

    /// <summary>Its readiness checks passed (they are not run again).</summary>
    public bool Ready { get; init; }

    public bool KillRequested { get; init; }
}

/// <summary>A group's own settings (its apps are stored as apps).</summary>
internal sealed record StoredGroup(string Id, List<string> Dependencies);

/// <summary>Everything the scheduler stored, read at start.</summary>
internal sealed record SchedulerStoreSnapshot
{
    public Dictionary<string, string> Meta { get; init; } = new(StringComparer.Ordinal);

    public List<StoredApp> Apps { get; init; } = [];

    public List<StoredAppVersion> AppVersions { get; init; } = [];

    public List<StoredTask> Tasks { get; init; } = [];

    public List<DeploymentPlan> Deployments { get; init; } = [];

    public List<StoredGroup> Groups { get; init; } = [];
}
