namespace Minuet.Platform.Jobs.Model;

/// <summary>
/// Everything about a job that changes as it runs: counts, last times, recent finished and skipped runs, each
/// schedule's next due time, and the per-edge success counts from its parents. Stored as one record so a run's end,
/// its history and its children's edges change in one transaction.
/// </summary>
internal sealed class JobStatus
{
    public const int KeptEntries = 50;

    public long SuccessCount { get; set; }

    public long FailureCount { get; set; }

    public long SkippedCount { get; set; }

    public DateTimeOffset? LastSuccessAt { get; set; }

    public DateTimeOffset? LastFailureAt { get; set; }

    public DateTimeOffset? LastSkippedAt { get; set; }

    public List<HistoryEntry> Successful { get; set; } = [];

    public List<HistoryEntry> Failed { get; set; } = [];

    public List<SkipEntry> Skipped { get; set; } = [];

    /// <summary>Schedule id → the next occurrence not yet handled.</summary>
    public Dictionary<string, DateTimeOffset> NextDue { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Parent id → successes of that parent not yet consumed by a run of this job.</summary>
    public Dictionary<string, long> Edges { get; set; } = new(StringComparer.Ordinal);

    public static void Keep<T>(List<T> list, T entry)
    {
        list.Insert(0, entry);
        if (list.Count > KeptEntries)
        {
            list.RemoveRange(KeptEntries, list.Count - KeptEntries);
        }
    }
}

/// <summary>A finished run as history lists it.</summary>
internal sealed record HistoryEntry(string Id, DateTimeOffset CreatedAt, DateTimeOffset FinishedAt, string Trigger, string? Reason);

/// <summary>An occurrence that did not run, and why.</summary>
internal sealed record SkipEntry(string ScheduleId, DateTimeOffset ScheduledAt, DateTimeOffset RecordedAt, string Reason);
