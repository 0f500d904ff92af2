namespace Minuet.Platform.Jobs.Engine;

/// <summary>The jobs framework's settings.</summary>
internal sealed record JobsOptions
{
    public string FrameworkName { get; init; } = "metronome";

    public string Role { get; init; } = "*";

    public string? Hostname { get; init; }

    /// <summary>How often schedules and deadlines are evaluated (the lateness floor of a scheduled run).</summary>
    public TimeSpan TickInterval { get; init; } = TimeSpan.FromMilliseconds(250);

    /// <summary>Declined offers stay away this long when nothing waits to launch.</summary>
    public TimeSpan IdleDeclineRefuse { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>An explicit reconciliation not answered in this time is asked again.</summary>
    public TimeSpan ReconcileRetry { get; init; } = TimeSpan.FromSeconds(10);
}
