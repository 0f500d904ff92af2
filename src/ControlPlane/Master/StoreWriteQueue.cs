using Microsoft.Extensions.Logging;
using Minuet.ControlPlane.Master.Metrics;
using Minuet.ControlPlane.Storage;

namespace Minuet.ControlPlane.Master;

/// <summary>
/// The master's store writes, in the order the master made its changes, written outside the master lock. Under the
/// lock a change only enqueues a write holding the records as they were (cheap); <see cref="Drain"/>, called once
/// the lock is released, writes everything queued, one writer at a time, so the store sees the changes in the
/// master's order. A caller that must know its write landed (an agent's status update before it is acknowledged,
/// an accept before its launches go out) drains and then reads <see cref="StoreWrite.Error"/>. A failed write of a
/// record the master changed on its own leaves its key dirty: the master enqueues it again from memory on every tick
/// until the store takes it. Never take the master lock while holding this queue's locks.
/// </summary>
internal sealed class StoreWriteQueue(IMasterStore store, StoreHealth health, MasterMetrics metrics, TimeProvider time, ILogger log)
{
    private readonly Lock _queueGate = new();
    private readonly Lock _writeGate = new();
    private readonly Queue<StoreWrite> _queue = new();
    private readonly HashSet<object> _dirty = [];
    private int _writerThread;

    /// <summary>True on the thread that is writing right now (a fenced write refused calls back from inside it).</summary>
    public bool IsWritingOnThisThread => Volatile.Read(ref _writerThread) == Environment.CurrentManagedThreadId;

    public bool HasDirty
    {
        get
        {
            lock (_queueGate)
            {
                return _dirty.Count > 0;
            }
        }
    }

    /// <summary>Writes queued and not yet taken by a writer.</summary>
    public int Queued
    {
        get
        {
            lock (_queueGate)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>Queues a write (under the master lock). <paramref name="key"/> names a record the master can write again from memory.</summary>
    public StoreWrite Enqueue(Action<IMasterStore> write, object? key = null)
    {
        var op = new StoreWrite(write, key);
        lock (_queueGate)
        {
            _queue.Enqueue(op);
        }

        return op;
    }

    /// <summary>The keys whose last write failed, forgotten here: the caller enqueues them again from memory.</summary>
    public List<object> TakeDirty()
    {
        lock (_queueGate)
        {
            var keys = _dirty.ToList();
            _dirty.Clear();
            return keys;
        }
    }

    /// <summary>Drops every queued write and dirty key (a term ended: nothing of it may reach the store any more).</summary>
    public void Clear()
    {
        lock (_queueGate)
        {
            while (_queue.TryDequeue(out var op))
            {
                op.Complete(MasterError.StoreUnavailable("not written: this master stopped leading"));
            }

            _dirty.Clear();
        }
    }

    /// <summary>Writes everything queued so far, in order (nothing to do: returns at once, even while another thread writes).</summary>
    public void Drain()
    {
        lock (_queueGate)
        {
            if (_queue.Count == 0)
            {
                return;
            }
        }

        DrainQueued();
    }

    /// <summary>Returns once <paramref name="write"/> is done, writing whatever is queued before it if no one else is.</summary>
    public void WaitFor(StoreWrite write)
    {
        if (!write.IsDone)
        {
            // Once the write lock is ours, a writer that had taken this write off the queue has finished it.
            DrainQueued();
        }
    }

    private void DrainQueued()
    {
        lock (_writeGate)
        {
            Volatile.Write(ref _writerThread, Environment.CurrentManagedThreadId);
            try
            {
                while (true)
                {
                    StoreWrite? op;
                    lock (_queueGate)
                    {
                        if (!_queue.TryDequeue(out op))
                        {
                            return;
                        }
                    }

                    Write(op);
                }
            }
            finally
            {
                Volatile.Write(ref _writerThread, 0);
            }
        }
    }

    private void Write(StoreWrite op)
    {
        try
        {
            op.WriteTo(store);
        }
        catch (Exception e) when (StoreHealth.IsStoreFault(e))
        {
            var message = StoreHealth.Describe(e);
            int pending;
            lock (_queueGate)
            {
                if (op.Key is { } failedKey)
                {
                    _dirty.Add(failedKey);
                }

                pending = _dirty.Count;
            }

            metrics.StoreWriteFailures.Increment();
            health.Failed(message, time.GetUtcNow(), pending);
            Log.StoreWriteFailed(log, message);
            op.Complete(MasterError.StoreUnavailable(message));
            return;
        }

        bool clean;
        int left;
        lock (_queueGate)
        {
            left = _dirty.Count;
            clean = left == 0;
        }

        if (clean)
        {
            if (health.Succeeded())
            {
                Log.StoreRecovered(log);
            }
        }
        else
        {
            health.SetPending(left);
        }

        op.Complete(null);
    }
}

/// <summary>One queued store write and, once written, its outcome (null: it landed).</summary>
internal sealed class StoreWrite(Action<IMasterStore> write, object? key)
{
    private MasterError? _error;
    private volatile bool _done;

    public object? Key { get; } = key;

    public bool IsDone => _done;

    /// <summary>The failure, once done (null: written).</summary>
    public MasterError? Error => _done ? _error : throw new InvalidOperationException("the write has not been drained yet");

    internal void WriteTo(IMasterStore store) => write(store);

    internal void Complete(MasterError? error)
    {
        _error = error;
        _done = true;
    }
}
