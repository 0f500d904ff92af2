using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler.Health;

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

    /// <summary>Every health check the task runs (the agent's and the scheduler's), in the app's order.</summary>
    public List<TaskCheck> Checks { get; init; } = [];

    /// <summary>Readiness checks a deployment waits for (empty when the app has none).</summary>
    public List<TaskReadiness> Readiness { get; init; } = [];

    /// <summary>
    /// All checks together, as Marathon counts an instance: false when any check is failing, true when every check
    /// passes, null while some have no verdict yet (or without checks).
    /// </summary>
    public bool? Healthy => Checks.Count == 0 ? null
        : Checks.Any(c => c.Alive == false) ? false
        : Checks.All(c => c.Alive == true) ? true
        : null;

    public bool HasHealthChecks => Checks.Count > 0;

    /// <summary>The agent's check, whose verdicts come with status updates.</summary>
    public TaskCheck? AgentCheck => Checks.Find(c => c.OnAgent);

    /// <summary>The scheduler killed it for failing a health check: its end counts as a failure for backoff.</summary>
    public bool KilledUnhealthy { get; set; }

    /// <summary>Killed for not reaching RUNNING within the task launch timeout: the kill counts as a failure, with this reason.</summary>
    public string? KilledOverdue { get; set; }

    /// <summary>The scheduler asked for the kill: its terminal update does not count as a failure.</summary>
    public bool KillRequested { get; set; }

    public DateTimeOffset? KillRequestedAt { get; set; }

    /// <summary>Not terminal and not on an unreachable agent: it counts toward the app's instances.</summary>
    public bool IsLive => !State.IsTerminal() && State is not TaskState.Unreachable and not TaskState.Lost and not TaskState.Unknown;

    public bool IsRunning => State == TaskState.Running;

    /// <summary>Running, and healthy when it has checks: what deployments wait for.</summary>
    public bool IsHealthy => IsRunning && (!HasHealthChecks || Healthy == true);

    /// <summary>Every readiness check has passed (true without readiness checks).</summary>
    public bool IsReady => Readiness.TrueForAll(r => r.Ready);
}
