using Minuet.DataPlane.L4lb.Health;
using Minuet.DataPlane.L4lb.Vips;

namespace Minuet.DataPlane.L4lb.Selection;

/// <summary>
/// Live counters of one backend (<c>IP:port</c>), shared by every VIP that lists it and kept across table
/// rebuilds: connections waiting for a reply (the cost power-of-two-choices compares), totals, the
/// consecutive-failure count and the time until which the circuit breaker benches it. Lock-free reads on
/// the SYN path; writes come from the conntrack event thread.
/// </summary>
internal sealed class BackendState(IpPort endpoint)
{
    private int _pending;
    private long _successes;
    private long _failures;
    private int _consecutiveFailures;
    private long _benchedUntil = long.MinValue;

    public IpPort Endpoint { get; } = endpoint;

    public LatencyWindow Latency { get; } = new();

    /// <summary>Connections handed to this backend that have not yet seen a reply or failed.</summary>
    public int Pending => Volatile.Read(ref _pending);

    public long Successes => Interlocked.Read(ref _successes);

    public long Failures => Interlocked.Read(ref _failures);

    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);

    /// <summary>TimeProvider timestamp until which the breaker keeps the backend out; long.MinValue when never.</summary>
    public long BenchedUntil => Interlocked.Read(ref _benchedUntil);

    public bool IsBenched(long now) => now < Interlocked.Read(ref _benchedUntil);

    public void ConnectionStarted() => Interlocked.Increment(ref _pending);

    /// <summary>The backend answered: clears the failure streak and any bench, records the latency.</summary>
    public void RecordSuccess(long now, double latencyMilliseconds)
    {
        DecrementPending();
        Interlocked.Increment(ref _successes);
        Volatile.Write(ref _consecutiveFailures, 0);
        Interlocked.Exchange(ref _benchedUntil, long.MinValue);
        Latency.Add(now, latencyMilliseconds);
    }

    /// <summary>No reply in time. Returns true when this failure benched the backend.</summary>
    public bool RecordFailure(long now, long benchTicks, int threshold)
    {
        DecrementPending();
        Interlocked.Increment(ref _failures);
        int streak = Interlocked.Increment(ref _consecutiveFailures);
        if (streak < threshold)
        {
            return false;
        }

        // Benched for the period after the latest failure, as Minuteman's backoff did.
        Interlocked.Exchange(ref _benchedUntil, now + benchTicks);
        return streak == threshold;
    }

    /// <summary>A tracked connection went away without a verdict (destroyed, or its VIP was removed).</summary>
    public void ConnectionAbandoned() => DecrementPending();

    private void DecrementPending()
    {
        int current;
        do
        {
            current = Volatile.Read(ref _pending);
            if (current == 0)
            {
                return;
            }
        }
        while (Interlocked.CompareExchange(ref _pending, current - 1, current) != current);
    }
}
