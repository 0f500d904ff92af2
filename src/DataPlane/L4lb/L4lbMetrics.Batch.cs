using System.Diagnostics;
using Minuet.DataPlane.Metrics;

namespace Minuet.DataPlane.L4lb;

/// <summary>
/// How the queue workers batch: wake-ups that read packets (SYNs per wake-up = syns_total / wakeups_total) and
/// create batches whose failure reports were lost and that were settled entry by entry.
/// </summary>
internal sealed partial class L4lbMetrics
{
    private MetricCounter? _wakeups;
    private MetricCounter? _batchFallbacks;

    public long Wakeups => _wakeups?.Value ?? 0;

    public long NatBatchFallbacks => _batchFallbacks?.Value ?? 0;

    public void Wakeup1() => _wakeups?.Increment();

    public void NatBatchFallback1() => _batchFallbacks?.Increment();

    /// <summary>Records <paramref name="count"/> decisions of one batch that all took <paramref name="elapsedTicks"/>.</summary>
    public void RecordDecisions(long elapsedTicks, int count)
    {
        double seconds = elapsedTicks / (double)Stopwatch.Frequency;
        for (int i = 0; i < count; i++)
        {
            _syns.Increment();
            _decision.Observe(seconds);
        }
    }

    private void CreateBatchCounters()
    {
        _wakeups = Registry.CreateCounter(
            "minuet_l4lb_queue_wakeups_total",
            "Queue worker wake-ups that read at least one packet (each costs one recvmmsg, one create send and one verdict).");
        _batchFallbacks = Registry.CreateCounter(
            "minuet_l4lb_nat_batch_fallbacks_total",
            "DNAT create batches whose failure reports were lost (ENOBUFS), settled entry by entry with ACKs.");
    }
}
