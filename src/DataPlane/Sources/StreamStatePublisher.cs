using System.Buffers;

namespace Minuet.DataPlane.Sources;

/// <summary>
/// The state a master's endpoint stream has built so far, shared between the connection that applies lines and the
/// loop that publishes it: lines are applied as they arrive, and the latest state becomes a snapshot on the
/// pipeline (changes that arrive while one is being built are coalesced into the next). Survives reconnects, so
/// DNS and VIPs keep the last snapshot while no master is followed.
/// </summary>
internal sealed class StreamStatePublisher : IDisposable
{
    private readonly SnapshotPipeline _pipeline;
    private readonly MasterStreamState _state = new();
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _dirty = new(0, 1);
    private readonly TaskCompletionSource _firstSnapshot = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _pending;
    private int _snapshots;

    public StreamStatePublisher(SnapshotPipeline pipeline) => _pipeline = pipeline;

    /// <summary>Version of the last applied stream line (0 before the first snapshot).</summary>
    public long Version
    {
        get
        {
            lock (_gate)
            {
                return _state.Version;
            }
        }
    }

    /// <summary>Snapshot lines received so far (a resume that needed no snapshot adds none).</summary>
    public int Snapshots => Volatile.Read(ref _snapshots);

    /// <summary>Waits (at most <paramref name="timeout"/>) until the first snapshot is published.</summary>
    public async Task<bool> WaitForFirstSnapshotAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        try
        {
            await _firstSnapshot.Task.WaitAsync(timeout, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (TimeoutException)
        {
            return false;
        }
    }

    /// <summary>
    /// The version a new connection resumes after (0: start from a snapshot). A connection to another master than the
    /// last one always starts from a snapshot: its versions say nothing about the last one's.
    /// </summary>
    public long ResumePoint(bool otherMaster)
    {
        lock (_gate)
        {
            if (otherMaster)
            {
                _state.ForgetVersion();
            }

            return _state.HasSnapshot ? _state.Version : 0;
        }
    }

    /// <summary>Applies one line; false when it does not fit (reported on the pipeline) and the stream must resync.</summary>
    public bool ApplyLine(ReadOnlySequence<byte> line, string origin)
    {
        byte[] bytes = line.ToArray();
        StateParseError? error;
        bool changed;
        lock (_gate)
        {
            bool isSnapshot = bytes.AsSpan().IndexOf("\"type\":\"snapshot\""u8) is >= 0 and < 64;
            error = _state.Apply(bytes, out changed);
            if (error is not null && _state.HasSnapshot && error.Path == "version")
            {
                // Forget the version so the reconnect asks for a fresh snapshot instead of resuming past the gap.
                _state.ForgetVersion();
            }

            if (error is null && isSnapshot)
            {
                Interlocked.Increment(ref _snapshots);
            }

            if (changed)
            {
                _pending = true;
            }
        }

        if (error is not null)
        {
            _pipeline.ReportParseError(origin, error);
            return false;
        }

        if (changed)
        {
            Signal();
        }
        else
        {
            _pipeline.Health.ReportGood(); // a heartbeat: the view is current
        }

        return true;
    }

    /// <summary>Publishes the latest state whenever a line changed it, until <paramref name="cancellationToken"/> ends.</summary>
    public async Task RunAsync(Func<string> origin, CancellationToken cancellationToken)
    {
        while (true)
        {
            await _dirty.WaitAsync(cancellationToken).ConfigureAwait(false);
            Model.ClusterState state;
            Model.StateDelta delta;
            lock (_gate)
            {
                if (!_pending)
                {
                    continue;
                }

                _pending = false;
                state = _state.Build();
                delta = _state.TakeDelta();
            }

            if (await _pipeline.ApplyStateAsync(state, origin(), delta, cancellationToken).ConfigureAwait(false))
            {
                _firstSnapshot.TrySetResult();
            }
        }
    }

    public void Dispose() => _dirty.Dispose();

    private void Signal()
    {
        try
        {
            if (_dirty.CurrentCount == 0)
            {
                _dirty.Release();
            }
        }
        catch (SemaphoreFullException)
        {
            // already signalled: the publisher will see the latest state
        }
    }
}
