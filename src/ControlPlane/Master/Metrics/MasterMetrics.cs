namespace Minuet.ControlPlane.Master.Metrics;

/// <summary>
/// The master's counters, served as Mesos-style flat keys by <c>/metrics/snapshot</c> (and <c>/metrics</c>). Written
/// under the master lock or from request threads, read without it: every counter is atomic.
/// </summary>
internal sealed class MasterMetrics
{
    /// <summary>Offers made to frameworks (the failover bench watches a new leader's first).</summary>
    public Counter OffersSent { get; } = new();

    /// <summary>Offers rescinded because the framework held them past <c>--offer-timeout</c>.</summary>
    public Counter OffersRescindedTimeout { get; } = new();

    /// <summary>Accepts refused whole (offer errors, tasks without ids, clashing ids, a failed store write).</summary>
    public Counter AcceptsRefused { get; } = new();

    /// <summary>Tasks of an accept that ended as TASK_ERROR on their own while the rest launched.</summary>
    public Counter TasksInvalid { get; } = new();

    /// <summary>Store writes that failed (disk full, I/O error).</summary>
    public Counter StoreWriteFailures { get; } = new();

    /// <summary>Agent status updates refused (503) because they could not be stored; the agent sends them again.</summary>
    public Counter StatusUpdatesRefused { get; } = new();

    /// <summary>Framework subscriptions closed because the framework read its events too slowly.</summary>
    public Counter FrameworksDisconnectedSlow { get; } = new();

    /// <summary>Requests refused with 413 (body over the limit).</summary>
    public Counter RequestsTooLarge { get; } = new();

    /// <summary>The last recovery's store read in ms (Mesos's <c>registrar/state_fetch_ms</c>): the cut a new leader reads.</summary>
    public Gauge StateFetchMs { get; } = new();

    /// <summary>The last recovery's rebuild of agents, frameworks and tasks from that read, in ms (under the master lock).</summary>
    public Gauge StateRecoverMs { get; } = new();
}

/// <summary>A value set now and then, read without a lock.</summary>
internal sealed class Gauge
{
    private long _value;

    public long Value => Interlocked.Read(ref _value);

    public void Set(long value) => Interlocked.Exchange(ref _value, value);
}

/// <summary>A monotonically rising count.</summary>
internal sealed class Counter
{
    private long _value;

    public long Value => Interlocked.Read(ref _value);

    public void Increment() => Interlocked.Increment(ref _value);
}
