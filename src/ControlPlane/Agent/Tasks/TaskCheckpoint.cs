using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Tasks;

/// <summary>
/// Everything about one task that must survive an agent restart, in one file written atomically: the launch,
/// the process identity (pid + start time), kill intent, network, the latest status and the updates not yet
/// acknowledged. Keeping the terminal flag and the pending updates in the same write is what makes a task's
/// terminal update exactly-once across crashes.
/// </summary>
internal sealed record TaskCheckpoint
{
    public required LaunchTaskRequest Launch { get; init; }

    public required string ContainerId { get; init; }

    public int? Pid { get; init; }

    /// <summary>Field 22 of <c>/proc/PID/stat</c> when the process started.</summary>
    public long? StartTime { get; init; }

    /// <summary>Epoch seconds when the process started (health-check grace counts from here).</summary>
    public double? StartedAt { get; init; }

    public bool KillRequested { get; init; }

    public string? KillReason { get; init; }

    /// <summary>Epoch seconds of the kill request, so a restarted agent honours what is left of the grace period.</summary>
    public double? KillRequestedAt { get; init; }

    public double? KillGraceSeconds { get; init; }

    public string? NetnsName { get; init; }

    public string? IpAddress { get; init; }

    /// <summary>Docker tasks: the container's id (the container is also labelled with the task id).</summary>
    public string? DockerContainer { get; init; }

    public string? DockerNetwork { get; init; }

    public bool? Healthy { get; init; }

    public bool TerminalRecorded { get; init; }

    public TaskStatusUpdate? LatestStatus { get; init; }

    public IReadOnlyList<TaskStatusUpdate> PendingUpdates { get; set; } = [];
}

/// <summary>The agent's own identity across restarts.</summary>
internal sealed record AgentCheckpoint
{
    public string? AgentId { get; init; }

    public string? MasterId { get; init; }
}
