using System.Threading.Channels;

namespace Minuet.ControlPlane.Scheduler.Events;

/// <summary>
/// Fans events out to <c>/v2/events</c> subscribers. Each subscriber has a bounded queue; one that falls more than
/// <see cref="Capacity"/> events behind loses the oldest (Marathon tells clients to treat events as cache
/// invalidation, never as a complete log).
/// </summary>
internal sealed class EventBus
{
    public const int Capacity = 10_000;

    private readonly Lock _gate = new();
    private readonly List<Subscription> _subscribers = [];

    public int SubscriberCount
    {
        get
        {
            lock (_gate)
            {
                return _subscribers.Count;
            }
        }
    }

    public void Publish(MarathonEvent e)
    {
        lock (_gate)
        {
            foreach (var s in _subscribers)
            {
                if (s.Filter is null || s.Filter.Contains(e.Type))
                {
                    s.Channel.Writer.TryWrite(e);
                }
            }
        }
    }

    /// <summary>Subscribes; <paramref name="filter"/> null or empty = every type.</summary>
    public Subscription Subscribe(IReadOnlyCollection<string>? filter)
    {
        var s = new Subscription(this, filter is { Count: > 0 } ? new HashSet<string>(filter, StringComparer.Ordinal) : null);
        lock (_gate)
        {
            _subscribers.Add(s);
        }

        return s;
    }

    /// <summary>Ends every subscriber's stream (shutdown).</summary>
    public void CompleteAll()
    {
        lock (_gate)
        {
            foreach (var s in _subscribers)
            {
                s.Channel.Writer.TryComplete();
            }
        }
    }

    private void Remove(Subscription s)
    {
        lock (_gate)
        {
            _subscribers.Remove(s);
        }
    }

    /// <summary>One subscriber's queue; dispose to leave.</summary>
    internal sealed class Subscription(EventBus bus, HashSet<string>? filter) : IDisposable
    {
        public HashSet<string>? Filter { get; } = filter;

        public Channel<MarathonEvent> Channel { get; } = System.Threading.Channels.Channel.CreateBounded<MarathonEvent>(
            new BoundedChannelOptions(Capacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

        public ChannelReader<MarathonEvent> Reader => Channel.Reader;

        public void Dispose()
        {
            bus.Remove(this);
            Channel.Writer.TryComplete();
        }
    }
}
