using System.Diagnostics;
using Etcdserverpb;
using Google.Protobuf;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Minuet.ControlPlane.Coordination;

/// <summary>
/// Leader election on one etcd key with a lease. A candidate that finds the key absent creates it in a txn
/// (<c>If create_revision(key) == 0 Then Put(key, value, lease)</c>) and leads; it renews the lease every TTL/3 and
/// checks the key is still the one it created. A failed or late keepalive, a vanished key or a refused fenced write
/// ends the term at once: <see cref="Deposed"/> runs, <see cref="Fence"/> turns null, and the candidate campaigns
/// again with a new lease. Leadership is also judged locally (the lease is only trusted until the last keepalive's
/// send time + TTL), so a process frozen past its lease (SIGSTOP) knows it is deposed before any loop runs again.
/// Standbys watch the key and wake on its deletion; a slow poll covers a broken watch.
/// </summary>
internal sealed class LeaderElection : ILeaderFenceSource, IAsyncDisposable
{
    private readonly EtcdConnection _etcd;
    private readonly LeaderElectionOptions _options;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _wake = new(0);
    private readonly CancellationTokenSource _stop = new();
    private readonly Lock _gate = new();
    private CancellationTokenSource _term = new();
    private LeaderFence? _fence;
    private long _validUntil;
    private long _leaseId;
    private string? _leaderValue;
    private string? _lostReason;
    private Task? _loop;
    private Task? _watch;
    private Task? _probe;
    private LeaderProbeLoop? _prober;
    private LeaderTerm? _observed;
    private long _takeovers;
    private volatile bool _keepalivesPaused;
    private int _abdicated;

    public LeaderElection(EtcdConnection etcd, LeaderElectionOptions options, ILogger? log = null)
    {
        _etcd = etcd;
        _options = options;
        _log = log ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
    }

    /// <summary>Runs (on the election's loop) once this candidate leads, before <see cref="IsLeader"/> is observed true by others.</summary>
    public Action<LeaderFence>? Elected { get; set; }

    /// <summary>Runs once a term ends, whatever the reason (lease lost, key gone, resign, fenced write refused).</summary>
    public Action<string>? Deposed { get; set; }

    /// <summary>Runs whenever <see cref="LeaderValue"/> changes (a watch event, a poll, a campaign won or lost).</summary>
    public Action? LeaderChanged { get; set; }

    public LeaderElectionOptions Options => _options;

    public bool IsLeader => Fence is not null;

    public LeaderFence? Fence
    {
        get
        {
            var fence = _fence;
            return fence is not null && Stopwatch.GetTimestamp() < Volatile.Read(ref _validUntil) ? fence : null;
        }
    }

    /// <summary>The leader key's value as last seen (this candidate's own while it leads), null when nobody leads.</summary>
    public string? LeaderValue => Volatile.Read(ref _leaderValue);

    /// <summary>The other leader's term as last seen on the key (null while none, or while this candidate leads).</summary>
    internal LeaderTerm? ObservedTerm => Volatile.Read(ref _observed);

    /// <summary>How many dead leaders this candidate removed before their lease ran out (<see cref="LeaderProbeLoop"/>).</summary>
    public long Takeovers => Interlocked.Read(ref _takeovers);

    /// <summary>The leader's term this standby's probe would now remove if its port refused connections (null: none, or no probe).</summary>
    internal LeaderTerm? ProbeArmedFor => _prober?.ArmedFor;

    public void Start()
    {
        _loop ??= Task.Run(() => RunAsync(_stop.Token));
        _watch ??= Task.Run(() => WatchAsync(_stop.Token));
        if (_options.ProbeTarget is not null)
        {
            _prober ??= new LeaderProbeLoop(_etcd, _options, () => _fence is not null, () => ObservedTerm, TookOver, _log);
            _probe ??= Task.Run(() => _prober.RunAsync(_stop.Token));
        }
    }

    public void FenceRejected(LeaderFence fence) => EndTerm(fence, "a fenced write was refused: the leader key belongs to another term");

    /// <summary>Gives up leadership now (the key goes with the lease) and campaigns again later (Marathon's DELETE /v2/leader).</summary>
    public void Abdicate()
    {
        if (_fence is { } fence)
        {
            Interlocked.Exchange(ref _abdicated, 1);
            EndTerm(fence, "abdicated on request");
        }
    }

    /// <summary>Test hook standing in for SIGSTOP: keepalives stop going out (local checks still run).</summary>
    internal void PauseKeepalives(bool paused) => _keepalivesPaused = paused;

    /// <summary>Stops campaigning and revokes the lease: the key disappears and a standby takes over at once.</summary>
    public async Task ResignAsync()
    {
        await StopLoopsAsync().ConfigureAwait(false);
        if (_fence is { } fence)
        {
            EndTerm(fence, "resigned");
        }

        await RevokeAsync().ConfigureAwait(false);
        CoordinationLog.Resigned(_log, _options.Key);
    }

    /// <summary>Stops without revoking (as a crash would): the key stays until the lease expires.</summary>
    public async Task AbandonAsync()
    {
        await StopLoopsAsync().ConfigureAwait(false);
        if (_fence is { } fence)
        {
            EndTerm(fence, "stopped");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await AbandonAsync().ConfigureAwait(false);
        _stop.Dispose();
        _wake.Dispose();
    }

    private async Task StopLoopsAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await _stop.CancelAsync().ConfigureAwait(false);
        }

        foreach (var task in new[] { _loop, _watch, _probe })
        {
            if (task is not null)
            {
                await task.ContinueWith(_ => { }, TaskScheduler.Default).ConfigureAwait(false);
            }
        }
    }

    private async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                var current = await OnAnyMemberAsync(() => _etcd.Client.GetAsync(new RangeRequest { Key = KeyBytes }, deadline: _etcd.Deadline, cancellationToken: stop), stop).ConfigureAwait(false);
                if (current.Kvs.Count > 0)
                {
                    _observed = TermOf(current.Kvs[0]);
                    SeeLeader(current.Kvs[0].Value.ToStringUtf8());
                    await _wake.WaitAsync(_options.PollInterval, stop).ConfigureAwait(false);
                    continue;
                }

                _observed = null;
                SeeLeader(null);
                if (await CampaignAsync(stop).ConfigureAwait(false) is { } term)
                {
                    await LeadAsync(term, stop).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                // A call past its deadline can surface as the HTTP handler's cancellation: etcd did not answer. Left
                // uncaught it would end this loop for good, and the last leader seen would be named forever.
                SeeLeader(null);
                CoordinationLog.EtcdUnavailable(_log, _options.Key, "DeadlineExceeded: no answer in time");
                await DelayAsync(_options.PollInterval, stop).ConfigureAwait(false);
            }
            catch (RpcException e)
            {
                // Without etcd no leader can be confirmed (it may have lost its lease already): name none, so a
                // standby answers "no leader" rather than redirect to a master that has stopped acting.
                SeeLeader(null);
                CoordinationLog.EtcdUnavailable(_log, _options.Key, $"{e.Status.StatusCode}: {e.Status.Detail}");
                await DelayAsync(_options.PollInterval, stop).ConfigureAwait(false);
            }
        }
    }

    private async Task<(LeaderFence Fence, CancellationToken Term)?> CampaignAsync(CancellationToken stop)
    {
        long sent = Stopwatch.GetTimestamp();
        var lease = await OnAnyMemberAsync(() => _etcd.Client.LeaseGrantAsync(new LeaseGrantRequest { TTL = (long)Math.Ceiling(_options.Ttl.TotalSeconds) },
            deadline: _etcd.Deadline, cancellationToken: stop), stop).ConfigureAwait(false);
        var txn = new TxnRequest();
        txn.Compare.Add(new Compare { Key = KeyBytes, Target = Compare.Types.CompareTarget.Create, Result = Compare.Types.CompareResult.Equal, CreateRevision = 0 });
        txn.Success.Add(new RequestOp { RequestPut = new PutRequest { Key = KeyBytes, Value = ByteString.CopyFromUtf8(_options.Value), Lease = lease.ID } });
        txn.Failure.Add(new RequestOp { RequestRange = new RangeRequest { Key = KeyBytes } });
        var response = await OnAnyMemberAsync(() => _etcd.Client.TransactionAsync(txn, deadline: _etcd.Deadline, cancellationToken: stop), stop).ConfigureAwait(false);
        if (!response.Succeeded)
        {
            await RevokeAsync(lease.ID).ConfigureAwait(false);
            var kvs = response.Responses[0].ResponseRange.Kvs;
            _observed = kvs.Count > 0 ? TermOf(kvs[0]) : null;
            SeeLeader(kvs.Count > 0 ? kvs[0].Value.ToStringUtf8() : null);
            return null;
        }

        var fence = new LeaderFence(_options.Key, response.Header.Revision);
        CancellationToken term;
        lock (_gate)
        {
            _leaseId = lease.ID;
            _lostReason = null;
            _term = new CancellationTokenSource();
            term = _term.Token;
            Volatile.Write(ref _validUntil, sent + (long)(lease.TTL * Stopwatch.Frequency));
            _fence = fence;
        }

        SeeLeader(_options.Value);
        CoordinationLog.Elected(_log, _options.Key, fence.CreateRevision, lease.TTL);
        Elected?.Invoke(fence);
        return (fence, term);
    }

    /// <summary>
    /// Keeps the term alive until something ends it; always leaves with the term ended. The lease is renewed by a
    /// <see cref="LeaseKeeper"/> on its own thread (a loaded leader's thread pool must not decide its term); this loop
    /// only looks at the key every interval and reacts to a lost lease.
    /// </summary>
    private async Task LeadAsync((LeaderFence Fence, CancellationToken Term) term, CancellationToken stop)
    {
        var (fence, ended) = term;
        using var both = CancellationTokenSource.CreateLinkedTokenSource(stop, ended);
        using var keeper = new LeaseKeeper(_etcd.Endpoints, Volatile.Read(ref _leaseId), _options.KeepAliveInterval, RenewCallTimeout,
            () => _keepalivesPaused, () => Volatile.Read(ref _validUntil), (sent, ttl) => Volatile.Write(ref _validUntil, sent + (ttl * Stopwatch.Frequency)));
        keeper.Start();
        string reason = "stopped";
        try
        {
            while (true)
            {
                var tick = Task.Delay(_options.KeepAliveInterval, both.Token);
                if (await Task.WhenAny(tick, keeper.Lost).ConfigureAwait(false) == keeper.Lost)
                {
                    reason = await keeper.Lost.ConfigureAwait(false);
                    break;
                }

                await tick.ConfigureAwait(false);
                if (Fence is null)
                {
                    reason = "the lease ran out before a keepalive was answered";
                    break;
                }

                if (!_keepalivesPaused && await CheckKeyAsync(fence, both.Token).ConfigureAwait(false) is { } lost)
                {
                    reason = lost;
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
            reason = _lostReason ?? "stopped";
        }

        if (!stop.IsCancellationRequested)
        {
            EndTerm(fence, reason);
            await RevokeAsync().ConfigureAwait(false);
            if (Interlocked.Exchange(ref _abdicated, 0) == 1)
            {
                // Stand aside for a whole TTL (three of a standby's polls), or the abdicating candidate could win
                // again at once whenever a standby's watch is slow; with no other candidate it leads again after that.
                await DelayAsync(_options.Ttl, stop).ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// A look at the key: the reason the term is over when it was deleted or replaced, else null. No answer in time
    /// is not a reason (the lease decides, and a fenced write is refused anyway once the key is another's): on a
    /// loaded leader a late continuation would otherwise look like a timeout and end a healthy term.
    /// </summary>
    private async Task<string?> CheckKeyAsync(LeaderFence fence, CancellationToken cancellationToken)
    {
        try
        {
            var current = await OnAnyMemberAsync(() => _etcd.Client.GetAsync(new RangeRequest { Key = KeyBytes }, deadline: DateTime.UtcNow + RenewCallTimeout, cancellationToken: cancellationToken), cancellationToken).ConfigureAwait(false);
            return current.Kvs.Count == 1 && current.Kvs[0].CreateRevision == fence.CreateRevision ? null : "the leader key was deleted or replaced";
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && (e is OperationCanceledException || e is RpcException))
        {
            return null;
        }
    }

    /// <summary>
    /// A unary call, again on the next member after a timeout or an unreachable member (once per endpoint): calls
    /// rotate over the members, so without this a campaign (three calls) would always meet a stopped one.
    /// </summary>
    private async Task<T> OnAnyMemberAsync<T>(Func<Task<T>> call, CancellationToken cancellationToken)
    {
        for (int attempt = 1; ; attempt++)
        {
            try
            {
                return await call().ConfigureAwait(false);
            }
            catch (Exception e) when (attempt < _etcd.Endpoints.Count && !cancellationToken.IsCancellationRequested
                && (e is OperationCanceledException || e is RpcException { StatusCode: StatusCode.DeadlineExceeded or StatusCode.Unavailable }))
            {
                // Next attempt: the client picks the next member.
            }
        }
    }

    private void EndTerm(LeaderFence fence, string reason)
    {
        lock (_gate)
        {
            if (!ReferenceEquals(_fence, fence))
            {
                return;
            }

            _fence = null;
            _lostReason = reason;
            _term.Cancel();
        }

        SeeLeader(null);
        CoordinationLog.Deposed(_log, _options.Key, reason);
        Deposed?.Invoke(reason);
        _wake.Release();
    }

    private async Task RevokeAsync(long? id = null)
    {
        long lease = id ?? Interlocked.Exchange(ref _leaseId, 0);
        if (lease == 0)
        {
            return;
        }

        try
        {
            await _etcd.Client.LeaseRevokeAsync(new LeaseRevokeRequest { ID = lease }, deadline: _etcd.Deadline).ConfigureAwait(false);
        }
        catch (RpcException)
        {
            // Best effort: the lease expires on its own.
        }
    }

    private async Task WatchAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await _etcd.Client.WatchAsync(new WatchRequest { CreateRequest = new WatchCreateRequest { Key = KeyBytes } },
                    (WatchResponse r) =>
                    {
                        foreach (var e in r.Events)
                        {
                            bool deleted = e.Type == Mvccpb.Event.Types.EventType.Delete;
                            _observed = deleted ? null : TermOf(e.Kv);

                            // This leader's own key removed (a standby found it dead, or an operator): stop acting now,
                            // not at the next keepalive. A deletion older than this term is an earlier leader's.
                            if (deleted && _fence is { } fence && e.Kv.ModRevision > fence.CreateRevision)
                            {
                                EndTerm(fence, "the leader key was deleted (a standby judged this process dead, or an operator removed it)");
                            }

                            SeeLeader(deleted ? null : e.Kv.Value.ToStringUtf8());
                            _wake.Release();
                        }
                    },
                    cancellationToken: stop).ConfigureAwait(false);

                // The client keeps the watch running (and re-creates it after a reconnect) until stop is cancelled.
                await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
            }
            catch (Exception) when (!stop.IsCancellationRequested)
            {
                // The poll in RunAsync keeps working; try the watch again shortly.
                await DelayAsync(_options.PollInterval, stop).ConfigureAwait(false);
            }
            catch (Exception)
            {
                return;
            }
        }
    }

    private void TookOver(LeaderTerm term)
    {
        Interlocked.Increment(ref _takeovers);
        Interlocked.CompareExchange(ref _observed, null, term);
        _wake.Release();
    }

    private static LeaderTerm TermOf(Mvccpb.KeyValue kv) => new(kv.Value.ToStringUtf8(), kv.CreateRevision, kv.Lease);

    private void SeeLeader(string? value)
    {
        var before = Interlocked.Exchange(ref _leaderValue, value);
        if (value != before)
        {
            if (value is not null)
            {
                CoordinationLog.LeaderSeen(_log, _options.Key, value);
            }

            LeaderChanged?.Invoke();
        }
    }

    private static async Task DelayAsync(TimeSpan delay, CancellationToken stop)
    {
        try
        {
            await Task.Delay(delay, stop).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // Stopping.
        }
    }

    private ByteString KeyBytes => ByteString.CopyFromUtf8(_options.Key);

    /// <summary>One renewal call's limit: two of them (a stopped member, then a live one) fit in a keepalive interval.</summary>
    private TimeSpan RenewCallTimeout => _options.KeepAliveInterval / 2;
}
