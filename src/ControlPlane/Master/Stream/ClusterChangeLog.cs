namespace Minuet.ControlPlane.Master.Stream;

/// <summary>
/// The ordered, versioned log of cluster changes behind <c>GET /master/endpoints/stream</c>. The master appends
/// one pre-rendered NDJSON line per change (under its lock, so versions follow the order of changes); readers
/// never block the master: they copy what is after their version and wait for the next append. Bounded: a reader
/// further behind than <see cref="Capacity"/> entries must start again from a snapshot.
/// </summary>
internal sealed class ClusterChangeLog
{
    private readonly Lock _gate = new();
    private readonly (long Version, byte[] Line)[] _ring;
    private long _version;
    private int _count;
    private int _head;
    private TaskCompletionSource _changed = NewSignal();

    /// <param name="capacity">Deltas kept for resumption.</param>
    /// <param name="baseVersion">
    /// The version before the first change. The master passes its start time in microseconds, so versions keep
    /// rising across master restarts and a resume from a previous master's version gets a fresh snapshot.
    /// </param>
    public ClusterChangeLog(int capacity, long baseVersion = 0)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _ring = new (long, byte[])[capacity];
        _version = baseVersion;
    }

    public int Capacity => _ring.Length;

    /// <summary>The version of the newest change (0 before any).</summary>
    public long Version
    {
        get
        {
            lock (_gate)
            {
                return _version;
            }
        }
    }

    /// <summary>Takes the next version and stores the line the renderer makes for it.</summary>
    public long Append(Func<long, byte[]> render)
    {
        TaskCompletionSource signal;
        long version;
        lock (_gate)
        {
            version = ++_version;
            _ring[(_head + _count) % _ring.Length] = (version, render(version));
            if (_count < _ring.Length)
            {
                _count++;
            }
            else
            {
                _head = (_head + 1) % _ring.Length;
            }

            signal = _changed;
            _changed = NewSignal();
        }

        signal.TrySetResult();
        return version;
    }

    /// <summary>
    /// The lines after <paramref name="since"/>, oldest first. False when <paramref name="since"/> is older than the
    /// log keeps (or newer than the log has, as after a master restart): the reader needs a fresh snapshot.
    /// </summary>
    public bool TryReadAfter(long since, List<byte[]> into, out long last)
    {
        lock (_gate)
        {
            last = _version;
            if (since > _version)
            {
                return false;
            }

            long oldest = _count == 0 ? _version + 1 : _ring[_head].Version;
            if (since < oldest - 1)
            {
                return false;
            }

            for (int i = 0; i < _count; i++)
            {
                var (version, line) = _ring[(_head + i) % _ring.Length];
                if (version > since)
                {
                    into.Add(line);
                }
            }

            return true;
        }
    }

    /// <summary>Completes when a change is appended after <paramref name="since"/> (at once if one already is).</summary>
    public Task WaitAfterAsync(long since, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_version > since)
            {
                return Task.CompletedTask;
            }

            return _changed.Task.WaitAsync(cancellationToken);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
