namespace Minuet.ControlPlane.Scheduler;

/// <summary>Scheduler settings.</summary>
public sealed record SchedulerOptions
{
    /// <summary>Framework name registered with the master (Mesos-DNS uses it as the domain's second label).</summary>
    public string FrameworkName { get; init; } = "marathon";

    public string Role { get; init; } = "*";

    /// <summary>Hostname reported to the master and in <c>/v2/info</c>.</summary>
    public string Hostname { get; init; } = Environment.MachineName;

    /// <summary>How often deployments are re-evaluated without any event.</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Filter on declined offers when nothing waits for resources (Mesos's default refuse time).</summary>
    public TimeSpan IdleDeclineRefuse { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Filter on declined offers while launches wait (another agent may be a better fit soon).</summary>
    public TimeSpan BusyDeclineRefuse { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the host looks for due health and readiness probes.</summary>
    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Marathon's <c>task_launch_timeout</c> (300 s, shown in <c>/v2/info</c>): a task not RUNNING this long after its
    /// launch is killed and replaced, and counts as a failure for the app's backoff.
    /// </summary>
    public TimeSpan TaskLaunchTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// A kill not confirmed by a terminal update this long after it was sent is sent again (Marathon's kill retry):
    /// the master may have refused it (503) or lost it, and the task must not run on.
    /// </summary>
    public TimeSpan KillRetry { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// <c>--allow-privileged</c>: apps may set <c>container.docker.privileged</c> (otherwise 422). The agents must allow
    /// it too (<c>--docker-allow-privileged</c>); <c>minuet up --allow-privileged</c> sets both.
    /// </summary>
    public bool AllowPrivileged { get; init; }

    /// <summary>Definitions kept per app for <c>/v2/apps/{id}/versions</c> (Marathon's <c>--max_versions</c> default).</summary>
    public int MaxVersions { get; init; } = 50;
}
