namespace Minuet.Platform.Jobs.Model;

internal enum ConcurrencyPolicy
{
    /// <summary>Start the new run beside the active ones.</summary>
    Allow,

    /// <summary>Skip the new run (recorded in history) while another is active.</summary>
    Forbid,

    /// <summary>Stop the active runs, then start the new one (Kubernetes CronJob's Replace).</summary>
    Replace,
}

internal enum MissedRunPolicy
{
    /// <summary>Occurrences missed while the service was down collapse into one late run, if still within the starting deadline.</summary>
    RunOnce,

    /// <summary>Occurrences missed while the service was down are all skipped (each recorded with its reason).</summary>
    Skip,
}

/// <summary>
/// When a job runs: a 5-field <see cref="Cron"/> in an IANA <see cref="TimeZone"/>, or (Chronos) an ISO 8601
/// repeating interval in <see cref="Iso8601"/>. Exactly one of the two is set.
/// </summary>
internal sealed record ScheduleSpec
{
    public const int DefaultStartingDeadlineSeconds = 900;

    public string Id { get; init; } = "default";

    public string? Cron { get; init; }

    public string? Iso8601 { get; init; }

    public string TimeZone { get; init; } = "UTC";

    public int StartingDeadlineSeconds { get; init; } = DefaultStartingDeadlineSeconds;

    public ConcurrencyPolicy ConcurrencyPolicy { get; init; } = ConcurrencyPolicy.Allow;

    public MissedRunPolicy MissedRuns { get; init; } = MissedRunPolicy.RunOnce;

    public bool Enabled { get; init; } = true;
}
