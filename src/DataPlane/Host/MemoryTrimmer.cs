using System.Runtime;
using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.Host;

/// <summary>
/// Gives memory back to the OS once a burst of snapshot builds has settled: one aggressive, compacting full
/// collection, at most once per <c>minInterval</c>.
/// </summary>
/// <remarks>
/// Building a snapshot for 10,000 tasks allocates several times what the snapshot keeps (parse trees, record lists,
/// answer compilation). The workstation GC keeps the segments it grew for that burst committed, so RSS stayed near
/// 220 MB for a 55 MB live heap. <see cref="GCCollectionMode.Aggressive"/> compacts and decommits them. It pauses
/// every thread (tens of milliseconds at this heap size), which is why it waits for the builds to go quiet
/// (<c>settle</c>) and is rate limited: a cluster that changes all the time gets one pause per interval, never one
/// per snapshot.
/// </remarks>
internal sealed class MemoryTrimmer : IDisposable
{
    private readonly SnapshotStore _store;
    private readonly TimeSpan _settle;
    private readonly TimeSpan _minInterval;
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private readonly Lock _lock = new();
    private long _lastTrim = long.MinValue;
    private bool _disposed;

    public MemoryTrimmer(SnapshotStore store, TimeSpan settle, TimeSpan minInterval, TimeProvider? time = null)
    {
        _store = store;
        _settle = settle;
        _minInterval = minInterval;
        _time = time ?? TimeProvider.System;
        _timer = _time.CreateTimer(_ => Trim(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        _store.Published += OnPublished;
        if (_store.Current is { } current)
        {
            // The first snapshot (and what was built for it) usually exists before the trimmer does.
            OnPublished(current);
        }
    }

    /// <summary>How many trims ran (for tests and metrics).</summary>
    public int Trims { get; private set; }

    public void Dispose()
    {
        lock (_lock)
        {
            _disposed = true;
            _store.Published -= OnPublished;
        }

        _timer.Dispose();
    }

    private void OnPublished(DataPlaneSnapshot snapshot)
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            // Re-arming on every publish is the debounce: the trim runs `settle` after the last build of a burst,
            // or later when the previous trim was less than `minInterval` ago.
            TimeSpan due = _settle;
            if (_lastTrim != long.MinValue)
            {
                TimeSpan sinceLast = _time.GetElapsedTime(_lastTrim);
                if (sinceLast + _settle < _minInterval)
                {
                    due = _minInterval - sinceLast;
                }
            }

            _timer.Change(due, Timeout.InfiniteTimeSpan);
        }
    }

    private void Trim()
    {
        lock (_lock)
        {
            if (_disposed)
            {
                return;
            }

            _lastTrim = _time.GetTimestamp();
            Trims++;
        }

        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    }
}
