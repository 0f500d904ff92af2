using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Master;

/// <summary>
/// One event on a framework's stream (a simplified Mesos scheduler API Event): <c>type</c> is SUBSCRIBED, OFFERS,
/// RESCIND, UPDATE, HEARTBEAT or ERROR, and the matching field is set.
/// </summary>
internal sealed record SchedulerEvent
{
    public required string Type { get; init; }

    public SubscribedEvent? Subscribed { get; init; }

    public IReadOnlyList<OfferInfo>? Offers { get; init; }

    public string? RescindOfferId { get; init; }

    public SchedulerStatus? Update { get; init; }

    public string? Message { get; init; }

    /// <summary>MESSAGE: data an executor sent its framework.</summary>
    public ExecutorMessageEvent? ExecutorMessage { get; init; }

    /// <summary>FAILURE: the agent the master lost (its tasks' fate follows as updates).</summary>
    public string? FailedAgentId { get; init; }

    public static SchedulerEvent Heartbeat { get; } = new() { Type = "HEARTBEAT" };
}

/// <summary>MESSAGE: an executor's bytes (base64) for its framework, with where they came from.</summary>
internal sealed record ExecutorMessageEvent(string AgentId, string ExecutorId, string Data);

/// <summary>Answer to SUBSCRIBE: the framework's id (new or the same on re-subscription).</summary>
internal sealed record SubscribedEvent(string FrameworkId, double HeartbeatIntervalSeconds, string MasterId, string Leader);

/// <summary>An offer as a framework sees it: all of one agent's free resources for its role.</summary>
internal sealed record OfferInfo
{
    public required string Id { get; init; }

    public required string FrameworkId { get; init; }

    public required string AgentId { get; init; }

    public required string Hostname { get; init; }

    /// <summary>The agent's IP (tasks on the host network are reached there).</summary>
    public required string Address { get; init; }

    /// <summary>The agent's HTTP port (Mesos's offer <c>url</c>).</summary>
    public int Port { get; init; } = 5051;

    public required string Role { get; init; }

    /// <summary>Everything offered (unreserved and reserved together).</summary>
    public required ResourceSet Resources { get; init; }

    /// <summary>The part of <see cref="Resources"/> reserved to <see cref="Role"/>.</summary>
    public ResourceSet? ReservedResources { get; init; }

    public IReadOnlyDictionary<string, string> Attributes { get; init; } = new Dictionary<string, string>();
}

/// <summary>
/// A task status sent to a framework. <c>uuid</c> is set for updates that must be acknowledged and null for
/// reconciliation answers (Mesos does the same).
/// </summary>
internal sealed record SchedulerStatus
{
    public required string TaskId { get; init; }

    public required string FrameworkId { get; init; }

    public string? AgentId { get; init; }

    /// <summary>The custom executor that runs the task (Mesos <c>TaskStatus.executor_id</c>), when it has one.</summary>
    public string? ExecutorId { get; init; }

    public required string State { get; init; }

    public string? Reason { get; init; }

    public string? Message { get; init; }

    public string Source { get; init; } = "SOURCE_MASTER";

    public bool? Healthy { get; init; }

    public int? ExitCode { get; init; }

    public double Timestamp { get; init; }

    public string? Uuid { get; init; }

    public ContainerStatus? ContainerStatus { get; init; }
}
