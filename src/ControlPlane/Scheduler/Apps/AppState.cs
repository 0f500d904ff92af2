using Minuet.ControlPlane.Scheduler.Tasks;

namespace Minuet.ControlPlane.Scheduler.Apps;

/// <summary>An app as the scheduler runs it: its current definition, its tasks and its launch backoff.</summary>
internal sealed class AppState(AppDefinition definition)
{
    public AppDefinition Definition { get; set; } = definition;

    public Dictionary<string, SchedulerTask> Tasks { get; } = new(StringComparer.Ordinal);

    /// <summary>Failures in a row since the last config change (Marathon's rate limiter).</summary>
    public int Failures { get; set; }

    /// <summary>No launches before this (backoff after a failure).</summary>
    public DateTimeOffset NextLaunchAt { get; set; }

    public string? LastFailureMessage { get; set; }

    /// <summary>The last task failure in Marathon's <c>TaskFailure</c> terms (app's <c>lastTaskFailure</c>).</summary>
    public TaskFailure? LastFailure { get; set; }

    /// <summary>How offers went while launches waited (<c>/v2/queue</c>'s reasons).</summary>
    public Launching.OfferStats OfferStats { get; set; } = new();

    public DateTimeOffset? LastFailureAt { get; set; }

    /// <summary>Removed by the user; kept until its last task has ended.</summary>
    public bool Deleted { get; set; }

    /// <summary>The definition history, oldest first (Marathon keeps the last <c>max_versions</c>).</summary>
    public SortedDictionary<DateTimeOffset, Storage.StoredAppVersion> Versions { get; } = [];

    public IEnumerable<SchedulerTask> Live => Tasks.Values.Where(t => t.IsLive);
}
