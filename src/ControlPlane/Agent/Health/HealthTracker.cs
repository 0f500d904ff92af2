using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Health;

/// <summary>What one probe result changed: a new verdict to report, and whether the task must now be killed.</summary>
internal readonly record struct HealthVerdict(bool Changed, bool? Healthy, bool Kill, int ConsecutiveFailures);

/// <summary>
/// Mesos health-check semantics as a pure state machine: failures before the first success are ignored while
/// the grace period lasts; after that every failure counts, the first counted one turns the task unhealthy, a
/// success resets the count and makes it healthy; reaching <c>consecutive_failures</c> (when &gt; 0) asks for a
/// kill if the check says so.
/// </summary>
internal sealed class HealthTracker(HealthCheck check, double startedAt, bool? initialHealthy = null)
{
    /// <summary>Null until the first verdict; a re-adopted task starts from the verdict it had before the restart.</summary>
    public bool? Healthy { get; private set; } = initialHealthy;

    public int ConsecutiveFailures { get; private set; }

    /// <summary>A task that was healthy before an agent restart is past its grace period.</summary>
    public bool SeenSuccess { get; private set; } = initialHealthy == true;

    /// <summary>Applies one result taken at <paramref name="now"/> (seconds, same clock as startedAt).</summary>
    public HealthVerdict OnResult(bool passed, double now)
    {
        if (passed)
        {
            bool changed = Healthy != true;
            SeenSuccess = true;
            ConsecutiveFailures = 0;
            Healthy = true;
            return new HealthVerdict(changed, true, false, 0);
        }

        if (!SeenSuccess && now - startedAt < check.GracePeriodSeconds)
        {
            return new HealthVerdict(false, Healthy, false, ConsecutiveFailures);
        }

        ConsecutiveFailures++;
        bool turned = Healthy != false;
        Healthy = false;
        bool kill = check.KillOnUnhealthy && check.ConsecutiveFailures > 0 && ConsecutiveFailures >= check.ConsecutiveFailures;
        return new HealthVerdict(turned, false, kill, ConsecutiveFailures);
    }
}
