using System.Threading.Channels;

namespace Minuet.ControlPlane.Master;

/// <summary>
/// One subscription of a framework: the master writes events, the subscriber (an HTTP stream or an in-process
/// scheduler) reads them. A new subscription closes the previous one.
/// The queue is bounded: a subscriber that lets <see cref="Capacity"/> events pile up unread is too slow (Mesos
/// closes a slow HTTP framework's connection the same way). Its backlog is dropped, it gets one ERROR event, the
/// stream ends and the master treats the framework as disconnected; the framework subscribes again and reconciles,
/// which replaces everything it missed. Bursts the framework asked for (reconciliation answers, updates resent on
/// subscription) raise the bound for that subscription by their size, so asking never trips it.
/// </summary>
internal sealed class FrameworkConnection : IDisposable
{
    /// <summary>Default bound: far above what a live framework leaves unread (an OFFERS event per second, its updates).</summary>
    public const int DefaultCapacity = 10_000;

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
