using Minuet.DataPlane.Metrics;

namespace Minuet.DataPlane.Sources;

/// <summary>
/// How fresh the data plane's view is: when the last good state arrived, how many source errors there were and
/// the last one. Exposed at <c>/metrics</c> as staleness (seconds since the last good update) and error counters.
/// </summary>
public sealed class SourceHealth
{
    private readonly TimeProvider _time;
    private readonly long _startedAt;
    private long _lastGoodAt = -1;
    private StateParseError? _lastError;
    private int _connected = 1;

    public SourceHealth(DataPlaneMetrics metrics, TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        _time = time ?? TimeProvider.System;
        _startedAt = _time.GetTimestamp();
        Errors = metrics.CreateLabelledCounter(
            "minuet_dataplane_source_errors_total", "State source failures by kind (fetch, parse, vip, build).", "kind");
        foreach (string kind in (string[])["fetch", "parse", "vip", "build"])
        {
            Errors.WithLabels(kind); // present as 0 from the start, so alerts can use rate() at once
        }

        Updates = metrics.CreateCounter(
            "minuet_dataplane_source_updates_total", "Good state documents read (changed or not).");
        Builds = metrics.CreateCounter(
            "minuet_dataplane_snapshot_builds_total", "Snapshots built and published.");
        BuildSeconds = metrics.CreateHistogram(
            "minuet_dataplane_snapshot_build_seconds", "Time to build and publish a snapshot.",
            [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5]);
        metrics.CreateGauge(
            "minuet_dataplane_snapshot_age_seconds",
            "Seconds since the last good state update (since start when there has been none).",
            () => StalenessSeconds);
        metrics.CreateGauge(
            "minuet_dataplane_snapshot_ok", "1 once a snapshot has been published, else 0.",
            () => Volatile.Read(ref _lastGoodAt) < 0 ? 0 : 1);
        metrics.CreateGauge(
            "minuet_dataplane_source_connected",
            "1 while the master push stream (--master-url) is connected, 0 while it reconnects; always 1 for polled sources.",
            () => Volatile.Read(ref _connected));
    }

    public LabelledCounter Errors { get; }

    /// <summary>For the push stream: whether it is connected now. Polled sources leave it true.</summary>
    public bool Connected
    {
        get => Volatile.Read(ref _connected) != 0;
        set => Volatile.Write(ref _connected, value ? 1 : 0);
    }

    public MetricCounter Updates { get; }

    public MetricCounter Builds { get; }

    public MetricHistogram BuildSeconds { get; }

    /// <summary>The most recent source error, or null when the last attempt succeeded.</summary>
    public StateParseError? LastError => Volatile.Read(ref _lastError);

    public bool HasGoodState => Volatile.Read(ref _lastGoodAt) >= 0;

    public double StalenessSeconds
    {
        get
        {
            long since = Volatile.Read(ref _lastGoodAt);
            return _time.GetElapsedTime(since < 0 ? _startedAt : since).TotalSeconds;
        }
    }

    public void ReportGood()
    {
        Volatile.Write(ref _lastGoodAt, _time.GetTimestamp());
        Volatile.Write(ref _lastError, null);
        Updates.Increment();
    }

    public void ReportError(string kind, StateParseError error)
    {
        Volatile.Write(ref _lastError, error);
        Errors.WithLabels(kind).Increment();
    }
}
