using System.Globalization;
using System.Text;

namespace Minuet.DataPlane.L4lb;

/// <summary>
/// Counters and the per-SYN decision-time histogram of the balancer, updated lock-free from queue workers and
/// rendered in Prometheus text format for <c>/metrics</c>.
/// </summary>
internal sealed class L4lbMetrics
{
    /// <summary>Upper bounds of the decision-time buckets, in microseconds.</summary>
    private static readonly double[] BucketBounds = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 5000, 20000];

    private readonly long[] _buckets = new long[BucketBounds.Length + 1];
    private long _decisionTicks;
    private long _syns;
    private long _natted;
    private long _noBackend;
    private long _notVip;
    private long _natErrors;
    private long _staleEntriesReplaced;
    private long _verdictErrors;
    private long _queueOverruns;

    public long Syns => Interlocked.Read(ref _syns);

    public long Natted => Interlocked.Read(ref _natted);

    public long NoBackend => Interlocked.Read(ref _noBackend);

    public long NatErrors => Interlocked.Read(ref _natErrors);

    public long QueueOverruns => Interlocked.Read(ref _queueOverruns);

    /// <summary>Kernel-reported queue drops and user drops, refreshed by the workers; summed on render.</summary>
    public Func<(long QueueDropped, long UserDropped)>? KernelQueueStats { get; set; }

    public void RecordDecision(long elapsedTicks)
    {
        double micros = elapsedTicks * 1_000_000.0 / System.Diagnostics.Stopwatch.Frequency;
        int bucket = 0;
        while (bucket < BucketBounds.Length && micros > BucketBounds[bucket])
        {
            bucket++;
        }

        Interlocked.Increment(ref _buckets[bucket]);
        Interlocked.Add(ref _decisionTicks, elapsedTicks);
        Interlocked.Increment(ref _syns);
    }

    public void Natted1() => Interlocked.Increment(ref _natted);

    public void NoBackend1() => Interlocked.Increment(ref _noBackend);

    public void NotVip1() => Interlocked.Increment(ref _notVip);

    public void NatError1() => Interlocked.Increment(ref _natErrors);

    public void StaleEntryReplaced1() => Interlocked.Increment(ref _staleEntriesReplaced);

    public void VerdictError1() => Interlocked.Increment(ref _verdictErrors);

    /// <summary>The kernel said the socket buffer overran (ENOBUFS): packets were lost between kernel and us.</summary>
    public void QueueOverrun1() => Interlocked.Increment(ref _queueOverruns);

    /// <summary>An approximate quantile of decision time in microseconds (upper bound of its bucket).</summary>
    public double DecisionQuantileMicros(double q)
    {
        long total = 0;
        foreach (long count in _buckets)
        {
            total += Interlocked.Read(in count);
        }

        if (total == 0)
        {
            return 0;
        }

        long target = (long)Math.Ceiling(q * total);
        long seen = 0;
        for (int i = 0; i < _buckets.Length; i++)
        {
            seen += Interlocked.Read(ref _buckets[i]);
            if (seen >= target)
            {
                return i < BucketBounds.Length ? BucketBounds[i] : double.PositiveInfinity;
            }
        }

        return double.PositiveInfinity;
    }

    public void Render(StringBuilder text)
    {
        Counter(text, "minuet_l4lb_syns_total", "SYNs the queue workers decided on.", Syns);
        Counter(text, "minuet_l4lb_natted_total", "SYNs given a DNAT entry to a backend.", Natted);
        Counter(text, "minuet_l4lb_no_backend_total", "SYNs to a VIP with no usable backend (refused).", NoBackend);
        Counter(text, "minuet_l4lb_not_vip_total", "SYNs whose destination was no VIP (set out of date).", Interlocked.Read(ref _notVip));
        Counter(text, "minuet_l4lb_nat_errors_total", "conntrack create failures.", NatErrors);
        Counter(text, "minuet_l4lb_stale_entries_replaced_total", "EEXIST on create: a stale entry was deleted and the create retried.", Interlocked.Read(ref _staleEntriesReplaced));
        Counter(text, "minuet_l4lb_verdict_errors_total", "Verdict sends that failed.", Interlocked.Read(ref _verdictErrors));
        Counter(text, "minuet_l4lb_queue_overruns_total", "Netlink receive overruns (ENOBUFS) on queue sockets.", QueueOverruns);
        if (KernelQueueStats is { } stats)
        {
            var (queueDropped, userDropped) = stats();
            Counter(text, "minuet_l4lb_queue_full_drops_total", "Packets the kernel dropped because a queue was full.", queueDropped);
            Counter(text, "minuet_l4lb_queue_user_drops_total", "Packets the kernel could not deliver to the reader socket.", userDropped);
        }

        const string Name = "minuet_l4lb_decision_seconds";
        text.Append("# HELP ").Append(Name).Append(" Time from reading a SYN to its DNAT entry being installed.\n");
        text.Append("# TYPE ").Append(Name).Append(" histogram\n");
        long cumulative = 0;
        for (int i = 0; i < _buckets.Length; i++)
        {
            cumulative += Interlocked.Read(ref _buckets[i]);
            string le = i < BucketBounds.Length
                ? (BucketBounds[i] / 1e6).ToString("0.######", CultureInfo.InvariantCulture)
                : "+Inf";
            text.Append(Name).Append("_bucket{le=\"").Append(le).Append("\"} ").Append(cumulative).Append('\n');
        }

        double seconds = Interlocked.Read(ref _decisionTicks) / (double)System.Diagnostics.Stopwatch.Frequency;
        text.Append(Name).Append("_sum ").Append(seconds.ToString("R", CultureInfo.InvariantCulture)).Append('\n');
        text.Append(Name).Append("_count ").Append(cumulative).Append('\n');
    }

    private static void Counter(StringBuilder text, string name, string help, long value) =>
        text.Append("# HELP ").Append(name).Append(' ').Append(help).Append('\n')
            .Append("# TYPE ").Append(name).Append(" counter\n")
            .Append(name).Append(' ').Append(value).Append('\n');
}
