using Minuet.ControlPlane.Scheduler.Apps;

namespace Minuet.ControlPlane.Scheduler.Health;

/// <summary>
/// One health check of one task, Marathon's <c>Health</c>: the latest verdict with its history fields, and (for a
/// check the scheduler runs itself) when it is probed next. Changed only under the scheduler lock.
/// </summary>
internal sealed class TaskCheck(int index, HealthCheckSpec spec, int port, bool onAgent)
{
    /// <summary>Position in the app's <c>healthChecks</c>.</summary>
    public int Index => index;

    public HealthCheckSpec Spec => spec;

    /// <summary>The resolved port probed (host port, or container port on a container network).</summary>
    public int Port => port;

    /// <summary>The agent runs this one (sent with the task); its verdicts arrive in status updates.</summary>
    public bool OnAgent => onAgent;

    public bool? Alive { get; private set; }

    public int ConsecutiveFailures { get; private set; }

    public DateTimeOffset? FirstSuccess { get; private set; }

    public DateTimeOffset? LastSuccess { get; private set; }

    public DateTimeOffset? LastFailure { get; private set; }

    public string? LastFailureCause { get; private set; }

    public DateTimeOffset NextProbeAt { get; set; }

    public bool InFlight { get; set; }

    /// <summary>A verdict read back from the store (agent checks) after a scheduler restart.</summary>
    public void Restore(bool? alive) => Alive = alive;

    /// <summary>
    /// Applies one result as Marathon's HealthCheckActor does: failures before the first success are ignored during
    /// the grace period (the agent applies its own grace to its check), every later failure counts, and reaching
    /// <c>maxConsecutiveFailures</c> (when &gt; 0) asks for a kill of a scheduler-run check.
    /// </summary>
    public (bool Changed, bool Kill) Record(bool passed, string? cause, DateTimeOffset now, DateTimeOffset? startedAt)
    {
        if (passed)
        {
            bool turned = Alive != true;
            FirstSuccess ??= now;
            LastSuccess = now;
            ConsecutiveFailures = 0;
            Alive = true;
            return (turned, false);
        }

        if (!onAgent && FirstSuccess is null && now < (startedAt ?? now) + TimeSpan.FromSeconds(spec.GracePeriodSeconds))
        {
            return (false, false);
        }

        ConsecutiveFailures++;
        LastFailure = now;
        LastFailureCause = cause;
        bool changed = Alive != false;
        Alive = false;
        bool kill = !onAgent && spec.MaxConsecutiveFailures > 0 && ConsecutiveFailures >= spec.MaxConsecutiveFailures;
        return (changed, kill);
    }
}
