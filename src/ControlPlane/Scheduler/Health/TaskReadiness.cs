using Minuet.ControlPlane.Scheduler.Apps;

namespace Minuet.ControlPlane.Scheduler.Health;

/// <summary>
/// One readiness check of one task (Marathon's ReadinessCheckResult): probed until it is ready, then left alone.
/// Changed only under the scheduler lock.
/// </summary>
internal sealed class TaskReadiness(ReadinessCheckSpec spec, int port)
{
    public ReadinessCheckSpec Spec => spec;

    public int Port => port;

    public bool Ready { get; set; }

    /// <summary>The last answer's status and (with <c>preserveLastResponse</c>) body.</summary>
    public int? LastStatus { get; set; }

    public string? LastBody { get; set; }

    public DateTimeOffset NextProbeAt { get; set; }

    public bool InFlight { get; set; }
}
