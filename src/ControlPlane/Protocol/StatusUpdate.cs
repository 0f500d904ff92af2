using System.Text.Json.Serialization;
using Minuet.ControlPlane.Master;

namespace Minuet.ControlPlane.Protocol;

/// <summary>
/// <c>POST /api/agent/{agentId}/status</c>, agent → master. The agent retries each update (backoff 0.5 s doubling
/// to 10 s) until the master answers 200 with a <see cref="StatusAcknowledgement"/> carrying the same uuid.
/// Updates of one task are delivered in order: the next is sent only after the previous is acknowledged.
/// The master must treat a repeated uuid as already applied (acknowledge again, change nothing).
/// </summary>
internal sealed record TaskStatusUpdate
{
    /// <summary>Unique per update; the acknowledgement key.</summary>
    public required string Uuid { get; init; }

    public required string TaskId { get; init; }

    public required string FrameworkId { get; init; }

    public required string AgentId { get; init; }

    /// <summary>Mesos name, e.g. <c>TASK_RUNNING</c> (see <see cref="TaskStates"/>).</summary>
    public required string State { get; init; }

    /// <summary>Mesos reason name, e.g. <c>REASON_COMMAND_EXECUTOR_FAILED</c> (see <see cref="TaskStatusReasons"/>).</summary>
    public string? Reason { get; init; }

    /// <summary>SOURCE_EXECUTOR for the task's own life, SOURCE_SLAVE for agent decisions (restart, launch errors).</summary>
    public string Source { get; set; } = "SOURCE_EXECUTOR";

    public string? Message { get; init; }

    /// <summary>For terminal states from a process exit: the exit status (128+n when killed by signal n).</summary>
    public int? ExitCode { get; init; }

    /// <summary>Set only for tasks with a health check, once it has a verdict.</summary>
    public bool? Healthy { get; init; }

    /// <summary>Seconds since the epoch (Mesos float timestamp).</summary>
    public double Timestamp { get; init; }

    public ContainerStatus? ContainerStatus { get; init; }

    public IReadOnlyList<Label> Labels { get; set; } = [];

    /// <summary>Parsed <see cref="State"/>; Unknown for names Mesos does not define.</summary>
    [JsonIgnore]
    public TaskState ParsedState => TaskStates.TryParseMesosName(State, out var state) ? state : TaskState.Unknown;
}

/// <summary>The master's answer to a status update: it has recorded the update with this uuid.</summary>
internal sealed record StatusAcknowledgement(string Uuid);

/// <summary>Mesos TaskStatus reasons the agent uses.</summary>
internal static class TaskStatusReasons
{
    public const string CommandExecutorFailed = "REASON_COMMAND_EXECUTOR_FAILED";
    public const string ExecutorTerminated = "REASON_EXECUTOR_TERMINATED";
    public const string TaskKilledDuringLaunch = "REASON_TASK_KILLED_DURING_LAUNCH";
    public const string ContainerLaunchFailed = "REASON_CONTAINER_LAUNCH_FAILED";
    public const string TaskInvalid = "REASON_TASK_INVALID";
    public const string HealthCheckStatusUpdated = "REASON_TASK_HEALTH_CHECK_STATUS_UPDATED";
    public const string ContainerLimitationMemory = "REASON_CONTAINER_LIMITATION_MEMORY";
    public const string AgentRestarted = "REASON_SLAVE_RESTARTED";
}
