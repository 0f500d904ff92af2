using System.Threading.Channels;

namespace Minuet.ControlPlane.Master;

/// <summary>
/// One subscription of a framework: the master writes events, the subscriber (an HTTP stream or an in-process
/// scheduler) reads them. A new subscription closes the previous one.
/// The queue is bounded: a subscriber that lets <see cref="Capacity"/> events pile up unread is too slow (Mesos
/// closes a slow HTTP framework's connection the same way). Its backlog is dropped, it gets one ERROR event, the
/// stream ends and the master treats the framework as disconnected; the framework subscribes again and reconciles,
/// which replaces everything it missed. Bursts the framework asked for (reconciliation answers, updates resent on
/// subscription) raise the bound for that subscription by their size, so asking never trips it. Retries of
/// unacknowledged updates never trip it either (<see cref="TrySendRetry"/>): while the stream is backed up the first
/// copy is most likely still unread, so a retry is skipped until the backlog drains instead of counting against the
/// framework (at 100,000 tasks one retry pass used to be tens of thousands of events at once and cut a live framework).
/// </summary>
internal sealed class FrameworkConnection : IDisposable
{
    /// <summary>
    /// Default bound (<c>--max-unread-framework-events</c>): one update for every task of a 100,000-task cluster can
    /// wait unread (a fill or a fail-over sends that many at once) while memory stays bounded (an unread update costs
    /// a small event around the status the master keeps anyway until it is acknowledged).
    /// </summary>
    public const int DefaultCapacity = 200_000;

    private readonly Channel<SchedulerEvent> _events = Channel.CreateUnbounded<SchedulerEvent>(
        new UnboundedChannelOptions { SingleReader = false, SingleWriter = false });

    private readonly int _baseCapacity;
    private readonly Action<FrameworkConnection, int>? _onTooSlow;
    private readonly CancellationTokenSource _aborted = new();
    private int _capacity;
    private int _closed;

    public FrameworkConnection(string frameworkId, int capacity = DefaultCapacity, Action<FrameworkConnection, int>? onTooSlow = null)
    {
        FrameworkId = frameworkId;
        _baseCapacity = Math.Max(1, capacity);
        _capacity = _baseCapacity;
        _onTooSlow = onTooSlow;
    }

    public string FrameworkId { get; }

    public ChannelReader<SchedulerEvent> Events => _events.Reader;

    public bool IsClosed => Volatile.Read(ref _closed) != 0;

    /// <summary>Events allowed to wait unread before the subscriber counts as too slow.</summary>
    public int Capacity => Volatile.Read(ref _capacity);

    /// <summary>True once this subscription was cut for being too slow.</summary>
    public bool TooSlow { get; private set; }

    /// <summary>Cancelled when the subscription is cut for being too slow: a writer blocked on the subscriber gives up.</summary>
    public CancellationToken Aborted => _aborted.Token;

    public void Send(SchedulerEvent e)
    {
        if (IsClosed)
        {
            return;
        }

        int pending = _events.Reader.Count;
        if (pending >= Capacity)
        {
            CutTooSlow(pending);
            return;
        }

        _events.Writer.TryWrite(e);
    }

    /// <summary>
    /// Sends a retry of an unacknowledged update unless the stream is backed up (half the bound or more unread);
    /// false when skipped, so the caller tries again later. A retry never cuts the subscription.
    /// </summary>
    public bool TrySendRetry(SchedulerEvent e)
    {
        if (IsClosed || _events.Reader.Count >= Capacity / 2)
        {
            return false;
        }

        return _events.Writer.TryWrite(e);
    }

    /// <summary>Events written and not yet read by the subscriber.</summary>
    public int Unread => _events.Reader.Count;

    /// <summary>Makes room for a burst of <paramref name="events"/> the framework itself asked for.</summary>
    public void EnsureCapacity(int events)
    {
        int wanted = _baseCapacity + Math.Max(0, events);
        if (wanted > Capacity)
        {
            Volatile.Write(ref _capacity, wanted);
        }
    }

    public void Close()
    {
        if (Interlocked.Exchange(ref _closed, 1) == 0)
        {
            _events.Writer.TryComplete();
        }
    }

    /// <summary>Closes and releases the abort token (optional: the token has no timer, so an undisposed one costs nothing).</summary>
    public void Dispose()
    {
        Close();
        _aborted.Dispose();
    }

    private void CutTooSlow(int pending)
    {
        // The backlog is moot: the framework must reconcile after subscribing again, which answers for all of it.
        while (_events.Reader.TryRead(out _))
        {
        }

        _events.Writer.TryWrite(new SchedulerEvent
        {
            Type = "ERROR",
            Message = $"framework too slow: {pending} events unread (limit {Capacity}); subscribe again and reconcile",
        });
        TooSlow = true;
        Close();
        _aborted.Cancel();
        _onTooSlow?.Invoke(this, pending);
    }
}
