using Microsoft.Extensions.Logging;
using Minuet.ControlPlane.Coordination;

namespace Minuet.ControlPlane.Master.Ha;

/// <summary>
/// Ties a master to the election on <c>/minuet/master/leader</c>: elected → <see cref="MasterCore.TakeOver"/> (state
/// from the store), deposed → <see cref="MasterCore.StepDown"/> and the term's token cancelled, which cuts every
/// request still running for the lost term (scheduler subscriptions, endpoint streams). The store is read off the
/// election's loop, so keepalives go on while it loads: a store that takes longer than the lease TTL to read must
/// not cost the very term it is read for. The state is adopted only if that term still holds once the read is done.
/// </summary>
internal sealed class MasterLeadership : IAsyncDisposable
{
    private readonly LeaderElection _election;
    private readonly MasterCore _core;
    private readonly ILogger _log;
    private readonly Lock _gate = new();
    private readonly CancellationTokenSource _stopping = new();
    private CancellationTokenSource _term = new();
    private LeaderFence? _loading;
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public MasterLeadership(LeaderElection election, MasterCore core, ILogger? log = null)
    {
        _election = election;
        _core = core;
        _log = log ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        Self = MasterLeaderInfo.Of(core.MasterId, core.Options);
        _term.Cancel();
        election.Elected = Elected;
        election.Deposed = _ => Deposed();
        election.LeaderChanged = Changed;
    }

    /// <summary>This master as the leader key names it.</summary>
    public MasterLeaderInfo Self { get; }

    public LeaderElection Election => _election;

    /// <summary>Leads and has rebuilt its state (the lease is judged locally, so a frozen process knows at once).</summary>
    public bool IsLeader => _election.IsLeader && !_core.IsStandby;

    /// <summary>The leader as last seen in etcd (this master while it leads); null while nobody leads.</summary>
    public MasterLeaderInfo? Leader => IsLeader ? Self : MasterLeaderInfo.TryParse(_election.LeaderValue) is { } other && other.Id != Self.Id ? other : null;

    /// <summary>Cancelled when the current term ends (already cancelled while standing by).</summary>
    public CancellationToken Term => Volatile.Read(ref _term).Token;

    public void Start() => _election.Start();

    /// <summary>
    /// Waits, at most <paramref name="max"/>, until this master names a leader other than <paramref name="unless"/>
    /// (its <c>ip:port</c>; empty: any leader) or other than the one it named at the start of the wait, then returns
    /// whom it names (null: still none). A follower that found
    /// the named leader dead, or none named, waits here for the election instead of asking again and again: standbys
    /// watch the leader key, so the answer comes as soon as a new leader is known (or, on itself, has loaded its state).
    /// </summary>
    public async Task<MasterLeaderInfo?> LeaderOtherThanAsync(string unless, TimeSpan max, CancellationToken cancellationToken)
    {
        // A stopping master answers its waiters now: its election no longer watches the key, and the web host would
        // otherwise wait for every held request to run out before it stops.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stopping.Token);
        timeout.CancelAfter(max);
        var named = Leader;
        while (true)
        {
            var changed = Volatile.Read(ref _changed).Task;

            // Another address answers at once; so does a new leader at the same address (a killed master restarted
            // where it was, by its new id), and this master once it leads. A leader asked about itself holds the
            // answer while it leads: a follower keeping such a request open learns of the leader's death from the
            // broken connection at once, not at its next heartbeat (agents heartbeat every 5 s).
            if (Leader is { } leader && (leader.Authority != unless || leader.Id != named?.Id))
            {
                return leader;
            }

            try
            {
                await changed.WaitAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return Leader;
            }
        }
    }

    /// <summary>Clean stop: the lease is revoked, so a standby leads at once.</summary>
    public async Task ResignAsync()
    {
        await _election.ResignAsync().ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
    }

    /// <summary>Stop as a crash would: the lease stays until it runs out (or a standby finds this process gone).</summary>
    public async Task AbandonAsync()
    {
        await _election.AbandonAsync().ConfigureAwait(false);
        await _stopping.CancelAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync() => await _election.DisposeAsync().ConfigureAwait(false);

    /// <summary>Runs on the election's loop: returns at once so that loop goes on renewing the lease.</summary>
    private void Elected(LeaderFence fence)
    {
        lock (_gate)
        {
            _loading = fence;
        }

        _ = Task.Run(() => TakeOver(fence));
    }

    private void TakeOver(LeaderFence fence)
    {
        Storage.MasterStoreSnapshot snapshot;
        try
        {
            snapshot = _core.LoadForTakeOver();
        }
        catch (Exception e) when (e is IOException or InvalidDataException or System.Text.Json.JsonException)
        {
            lock (_gate)
            {
                if (!Equals(_loading, fence))
                {
                    return; // that term ended meanwhile; the next one does its own read
                }

                _loading = null;
            }

            // Without a consistent read there is no state to lead with: give the term back and try again later.
            MasterHaLog.TakeOverFailed(_log, e.Message);
            _core.StepDown();
            _election.Abdicate();
            return;
        }

        lock (_gate)
        {
            // Deposed while reading (Deposed cleared _loading), or the lease lapsed and no loop has noticed yet.
            if (!Equals(_loading, fence) || !Equals(_election.Fence, fence))
            {
                return;
            }

            _loading = null;
            _core.TakeOver(snapshot);
            Volatile.Write(ref _term, new CancellationTokenSource());
        }

        MasterHaLog.Leading(_log, Self.Pid, _core.Agents.Count, _core.Tasks.Count);
        Changed();
    }

    private void Deposed()
    {
        lock (_gate)
        {
            _loading = null;
            _core.StepDown();
            Volatile.Read(ref _term).Cancel();
        }

        MasterHaLog.StandingBy(_log, Self.Pid);
        Changed();
    }

    /// <summary>Whom this master names may have changed (the key, or this master's own state loaded or dropped): wake the waiters.</summary>
    private void Changed() =>
        Interlocked.Exchange(ref _changed, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
}
