using Minuet.ControlPlane.Allocation;
using Minuet.ControlPlane.Master.Stream;

namespace Minuet.ControlPlane.Master;

/// <summary>
/// HA terms. A standby holds no agents, frameworks or tasks and its <see cref="Tick"/> does nothing; the HTTP gate
/// keeps every agent and framework call away from it. <see cref="TakeOver"/> rebuilds everything from one consistent
/// read of the store, as a restart does (agents "recovered" until they re-register or the re-registration timeout
/// passes); <see cref="StepDown"/> forgets it all at once, so nothing of a lost term can act again.
/// </summary>
internal sealed partial class MasterCore
{
    private volatile bool _standby;

    /// <summary>True while this master is not the elected leader (always false without HA).</summary>
    public bool IsStandby => _standby;

    /// <summary>When this master last became leader (null: never elected, or not HA).</summary>
    public DateTimeOffset? ElectedTime { get; private set; }

    /// <summary>Becomes leader: state from the store as of now; the caller holds the leader key.</summary>
    public void TakeOver() => TakeOver(LoadForTakeOver());

    /// <summary>One consistent read of the store, outside the master lock (it can take longer than a lease TTL).</summary>
    public Storage.MasterStoreSnapshot LoadForTakeOver()
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var snapshot = _store.Load();
        _metrics.StateFetchMs.Set((long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        return snapshot;
    }

    /// <summary>Becomes leader with <paramref name="snapshot"/>, read by <see cref="LoadForTakeOver"/> in the same term.</summary>
    public void TakeOver(Storage.MasterStoreSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        using (Mutate())
        {
            var now = Now;
            Forget(now);
            Recover(snapshot, now);
            ElectedTime = now;
            _standby = false;
        }
    }

    /// <summary>Stops acting at once: no offers, no writes, no launches; subscribed frameworks are cut off.</summary>
    public void StepDown()
    {
        // At once, even before the lock is free: nothing of this term may act any more.
        _standby = true;
        if (_writes.IsWritingOnThisThread)
        {
            // A fenced write was refused inside the store writer: forgetting needs the master lock, whose holder may
            // be waiting for this very writer, so the rest happens on another thread.
            _ = Task.Run(StepDown);
            return;
        }

        using (Mutate())
        {
            _standby = true;
            ElectedTime = null;
            Forget(Now);
        }
    }

    private void Forget(DateTimeOffset now)
    {
        _term++;
        foreach (var framework in _frameworks.Values)
        {
            framework.Connection?.Close();
        }

        _view.AllChanged();
        _agents.Clear();
        _frameworks.Clear();
        _tasks.Clear();
        _quotaConfigs.Clear();
        _writes.Clear();
        _allocator = new HierarchicalAllocator(_options.Allocator);

        // A new log whose versions start past every version the old one handed out: a stream reader resuming
        // with ?since= from another term gets a fresh snapshot, never deltas of a different history.
        _changes = new ClusterChangeLog(_options.StreamLogCapacity, Math.Max(now.ToUnixTimeMilliseconds() * 1000, _changes.Version + 1));
        _lastSchedulerHeartbeat = now;
    }
}
