using Minuet.DataPlane.L4lb.Selection;
using Minuet.DataPlane.L4lb.Vips;
using Minuet.Native.Netlink.Conntrack;

namespace Minuet.DataPlane.L4lb.Health;

/// <summary>
/// Passive health from conntrack events, as Minuteman's latency observer did: a NEW entry whose reply
/// source is a known backend (and differs from the original destination, i.e. it was NATed) starts a pending
/// connection; an update showing a reply before <see cref="HealthOptions.ConnectTimeout"/> is a success with a
/// latency sample; no reply by then (found by <see cref="Sweep"/>) is a failure, and enough failures in a
/// row bench the backend. Event methods are called from the event thread, Sweep from a timer; a lock keeps
/// the pending map consistent between them.
/// </summary>
/// <param name="isVip">Whether a flow's original destination is a current VIP (other NATed flows to the same
/// backends, e.g. someone else's DNAT, are not ours to judge); null counts every NATed flow to a known backend.</param>
internal sealed class HealthTracker(BackendRegistry registry, HealthOptions options, TimeProvider time, Func<FlowTuple, bool>? isVip = null)
{
    /// <summary>Bound on tracked connections, so an event storm cannot grow memory without limit.</summary>
    public const int MaxPending = 1 << 18;

    private readonly Dictionary<FlowTuple, PendingConnection> _pending = [];
    private readonly Lock _gate = new();
    private readonly long _timeoutTicks = ToTicks(options.ConnectTimeout, time);
    private readonly long _benchTicks = ToTicks(options.BenchPeriod, time);

    // A half-open probe's verdict comes within the connect timeout plus one sweep; until then nobody else probes.
    private readonly long _probeTicks = ToTicks(options.ConnectTimeout * 2 + TimeSpan.FromMilliseconds(100), time);

    /// <summary>Raised (outside the lock) when a failure benches a backend.</summary>
    public event Action<BackendState>? Benched;

    public HealthOptions Options { get; } = options;

    /// <summary>Connections not tracked because <see cref="MaxPending"/> was reached.</summary>
    public long Untracked { get; private set; }

    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }

    /// <summary>A conntrack NEW event: <paramref name="original"/> is client to VIP, <paramref name="replySource"/> the backend.</summary>
    public void OnNew(in FlowTuple original, IpPort replySource)
    {
        if (replySource.Address == original.DestinationAddress && replySource.Port == original.DestinationPort)
        {
            return;
        }

        if (!registry.TryGet(replySource, out var backend) || (isVip is not null && !isVip(original)))
        {
            return;
        }

        long now = time.GetTimestamp();
        lock (_gate)
        {
            if (_pending.Count >= MaxPending)
            {
                Untracked++;
                return;
            }

            if (!_pending.TryAdd(original, new PendingConnection(backend, now)))
            {
                return;
            }
        }

        backend.ConnectionStarted();
    }

    /// <summary>A conntrack event showing the flow has seen a reply: success, with its latency.</summary>
    public void OnReply(in FlowTuple original)
    {
        PendingConnection connection;
        lock (_gate)
        {
            if (!_pending.Remove(original, out connection))
            {
                return;
            }
        }

        long now = time.GetTimestamp();
        connection.Backend.RecordSuccess(now, time.GetElapsedTime(connection.Started, now).TotalMilliseconds);
    }

    /// <summary>
    /// The backend refused the connection (a reset answered the SYN): a failure at once, no need to wait for the
    /// threshold. Returns true when it benched the backend.
    /// </summary>
    public bool OnRefused(in FlowTuple original)
    {
        PendingConnection connection;
        lock (_gate)
        {
            if (!_pending.Remove(original, out connection))
            {
                return false;
            }
        }

        return Fail(connection, time.GetTimestamp());
    }

    /// <summary>
    /// After lost events (an overrun), puts the pending map right from a dump of the conntrack table, so lost
    /// events turn into neither failures nor lost successes: a pending flow the dump shows answered is a
    /// success, refused a failure, still waiting stays pending, gone is abandoned (no verdict can be known).
    /// A balanced flow still waiting whose NEW event was lost starts pending now. Returns how many pending
    /// connections got a verdict from the dump.
    /// </summary>
    public int Resync(IReadOnlyList<ConntrackEntryInfo> table)
    {
        var byFlow = new Dictionary<FlowTuple, ConntrackEntryInfo>(table.Count);
        foreach (var entry in table)
        {
            if (entry.Original.Protocol == ConntrackTuple.Tcp)
            {
                var o = entry.Original;
                byFlow[new FlowTuple(o.SourceAddress, o.SourcePort, o.DestinationAddress, o.DestinationPort)] = entry;
            }
        }

        List<(FlowTuple Flow, PendingConnection Connection)> snapshot;
        lock (_gate)
        {
            snapshot = [.. _pending.Select(p => (p.Key, p.Value))];
        }

        int decided = 0;
        foreach (var (flow, _) in snapshot)
        {
            if (!byFlow.Remove(flow, out var entry))
            {
                OnDestroy(flow);
                continue;
            }

            switch (ConnectOutcomes.Classify(entry))
            {
                case ConnectOutcome.Answered:
                    OnReply(flow);
                    decided++;
                    break;
                case ConnectOutcome.Refused:
                    OnRefused(flow);
                    decided++;
                    break;
            }
        }

        foreach (var (flow, entry) in byFlow)
        {
            if (entry.HasReply && ConnectOutcomes.Classify(entry) == ConnectOutcome.Pending)
            {
                OnNew(flow, new IpPort(entry.Reply.SourceAddress, entry.Reply.SourcePort));
            }
        }

        return decided;
    }

    /// <summary>The entry went away before any reply: neither success nor failure (the client gave up).</summary>
    public void OnDestroy(in FlowTuple original)
    {
        PendingConnection connection;
        lock (_gate)
        {
            if (!_pending.Remove(original, out connection))
            {
                return;
            }
        }

        connection.Backend.ConnectionAbandoned();
    }

    /// <summary>Counts every pending connection older than the threshold as a failure. Returns how many.</summary>
    public int Sweep()
    {
        long now = time.GetTimestamp();
        List<PendingConnection>? expired = null;
        lock (_gate)
        {
            foreach (var (flow, connection) in _pending)
            {
                if (now - connection.Started >= _timeoutTicks)
                {
                    (expired ??= []).Add(connection);
                    _pending.Remove(flow);
                }
            }
        }

        if (expired is null)
        {
            return 0;
        }

        foreach (var connection in expired)
        {
            Fail(connection, now);
        }

        return expired.Count;
    }

    private bool Fail(PendingConnection connection, long now)
    {
        if (!connection.Backend.RecordFailure(now, _benchTicks, Options.FailureThreshold, _probeTicks))
        {
            return false;
        }

        Benched?.Invoke(connection.Backend);
        return true;
    }

    private static long ToTicks(TimeSpan span, TimeProvider time) =>
        (long)(span.TotalSeconds * time.TimestampFrequency);

    private readonly record struct PendingConnection(BackendState Backend, long Started);
}
