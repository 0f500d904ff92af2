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
    private long _probeTicks;
    private int _halfOpen;

    public IpPort Endpoint { get; } = endpoint;

    public LatencyWindow Latency { get; } = new();

    /// <summary>Connections handed to this backend that have not yet seen a reply or failed.</summary>
    public int Pending => Volatile.Read(ref _pending);

    public long Successes => Interlocked.Read(ref _successes);

    public long Failures => Interlocked.Read(ref _failures);

    public int ConsecutiveFailures => Volatile.Read(ref _consecutiveFailures);

    /// <summary>TimeProvider timestamp until which the breaker keeps the backend out; long.MinValue when never.</summary>
    public long BenchedUntil => Interlocked.Read(ref _benchedUntil);

    /// <summary>
    /// The breaker as the SYN path sees it. While benched: true. Once the period is over the breaker is half-open:
    /// exactly one caller gets false (its connection is the probe that decides) and the backend stays out for a
    /// probe window; the probe's success closes the breaker, its failure benches for another period, and a probe
    /// that got no verdict (the client gave up) lets the next caller probe after the window.
    /// </summary>
    public bool IsBenched(long now)
    {
        long until = Interlocked.Read(ref _benchedUntil);
        if (now < until)
        {
            return true;
        }

        if (Volatile.Read(ref _halfOpen) == 0)
        {
            return false;
        }

        return Interlocked.CompareExchange(ref _benchedUntil, now + Interlocked.Read(ref _probeTicks), until) != until;
    }

    /// <summary>Side-effect free (for the API): false while benched or half-open, until a connection succeeds.</summary>
    public bool IsHealthy(long now) => now >= Interlocked.Read(ref _benchedUntil) && Volatile.Read(ref _halfOpen) == 0;

    public void ConnectionStarted() => Interlocked.Increment(ref _pending);

    /// <summary>The backend answered: clears the failure streak and any bench, records the latency.</summary>
    public void RecordSuccess(long now, double latencyMilliseconds)
    {
        DecrementPending();
        Interlocked.Increment(ref _successes);
        Volatile.Write(ref _consecutiveFailures, 0);
        Volatile.Write(ref _halfOpen, 0);
        Interlocked.Exchange(ref _benchedUntil, long.MinValue);
        Latency.Add(now, latencyMilliseconds);
    }

    /// <summary>
    /// No reply in time, or the connection was refused. Returns true when this failure benched the backend.
    /// <paramref name="probeTicks"/> is how long a half-open probe keeps others out while it waits for its verdict.
    /// </summary>
    public bool RecordFailure(long now, long benchTicks, int threshold, long probeTicks = 0)
    {
        DecrementPending();
        Interlocked.Increment(ref _failures);
        int streak = Interlocked.Increment(ref _consecutiveFailures);
        if (streak < threshold)
        {
            return false;
        }

        // Benched for the period after the latest failure, as Minuteman's backoff did.
        Interlocked.Exchange(ref _probeTicks, probeTicks);
        Volatile.Write(ref _halfOpen, 1);
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
