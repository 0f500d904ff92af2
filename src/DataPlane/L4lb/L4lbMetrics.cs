using System.Diagnostics;
using Minuet.DataPlane.Metrics;

namespace Minuet.DataPlane.L4lb;

/// <summary>
/// The balancer's counters and per-SYN decision-time histogram, created once in the data plane's shared
/// <see cref="DataPlaneMetrics"/> registry (served at <c>/metrics</c>); updates are lock-free from the queue
/// workers. Kernel queue drops are read from /proc at each scrape.
/// </summary>
internal sealed partial class L4lbMetrics
{
    /// <summary>Decision-time buckets in seconds: 1-2-5 steps from 1 µs to 20 ms (fine enough to show a p99 under 100 µs).</summary>
    private static readonly double[] DecisionBuckets =
        [0.000001, 0.000002, 0.000005, 0.00001, 0.00002, 0.00005, 0.0001, 0.0002, 0.0005, 0.001, 0.002, 0.005, 0.01, 0.02];

    private readonly MetricCounter _syns;
    private readonly MetricCounter _natted;
    private readonly MetricCounter _noBackend;
    private readonly MetricCounter _notVip;
    private readonly MetricCounter _natErrors;
    private readonly MetricCounter _staleReplaced;
    private readonly MetricCounter _verdictErrors;
    private readonly MetricCounter _overruns;
    private readonly MetricCounter _eventOverruns;
    private readonly MetricCounter _retransmits;
    private readonly MetricHistogram _decision;

    public L4lbMetrics(DataPlaneMetrics? registry = null)
    {
        Registry = registry ?? new DataPlaneMetrics();
        _syns = Registry.CreateCounter("minuet_l4lb_syns_total", "SYNs the queue workers decided on.");
        _natted = Registry.CreateCounter("minuet_l4lb_natted_total", "SYNs given a DNAT entry to a backend.");
        _noBackend = Registry.CreateCounter("minuet_l4lb_no_backend_total", "SYNs to a VIP with no usable backend (refused by the REJECT rule).");
        _notVip = Registry.CreateCounter("minuet_l4lb_not_vip_total", "SYNs whose destination was no VIP in the current table.");
        _natErrors = Registry.CreateCounter("minuet_l4lb_nat_errors_total", "conntrack DNAT creates that failed.");
        _staleReplaced = Registry.CreateCounter("minuet_l4lb_stale_entries_replaced_total", "Creates that met EEXIST (a stale TIME_WAIT entry) and were retried after deleting it.");
        _verdictErrors = Registry.CreateCounter("minuet_l4lb_verdict_errors_total", "Verdict sends that failed.");
        _overruns = Registry.CreateCounter("minuet_l4lb_queue_overruns_total", "Netlink receive overruns (ENOBUFS) on queue sockets: SYNs lost between kernel and reader.");
        _retransmits = Registry.CreateCounter("minuet_l4lb_retransmitted_syns_total", "SYNs that found their flow's entry from an earlier SYN (a retransmit) and kept its backend.");
        _eventOverruns = Registry.CreateCounter("minuet_l4lb_conntrack_event_overruns_total", "Conntrack event socket overruns (ENOBUFS): events lost, health resynced from a table dump.");
        _decision = Registry.CreateHistogram("minuet_l4lb_decision_seconds", "Time from the wake-up that read a SYN to its DNAT entry being installed (the SYNs of one wake-up share one create send).", DecisionBuckets);
        Registry.CreateGauge("minuet_l4lb_queue_full_drops", "Packets the kernel dropped because a queue was full (since the queue was bound).", () => KernelQueueStats?.Invoke().QueueDropped ?? 0);
        _udpKnownFlows = CreateUdpCounter(Registry);
        CreateBatchCounters();
        Registry.CreateGauge("minuet_l4lb_queue_user_drops", "Packets the kernel could not deliver to a reader socket (since the queue was bound).", () => KernelQueueStats?.Invoke().UserDropped ?? 0);
    }

    public DataPlaneMetrics Registry { get; }

    public long Syns => _syns.Value;

    public long Natted => _natted.Value;

    public long NoBackend => _noBackend.Value;

    public long NatErrors => _natErrors.Value;

    public long QueueOverruns => _overruns.Value;

    public long DecisionCount => _decision.Count;

    public double DecisionSecondsSum => _decision.Sum;

    /// <summary>Kernel queue drop counters (from /proc), read at scrape time.</summary>
    public Func<(long QueueDropped, long UserDropped)>? KernelQueueStats { get; set; }

    public void RecordDecision(long elapsedTicks)
    {
        _syns.Increment();
        _decision.Observe(elapsedTicks / (double)Stopwatch.Frequency);
    }

    public void Natted1() => _natted.Increment();

    public void NoBackend1() => _noBackend.Increment();

    public void NotVip1() => _notVip.Increment();

    public void NatError1() => _natErrors.Increment();

    public void StaleEntryReplaced1() => _staleReplaced.Increment();

    public void VerdictError1() => _verdictErrors.Increment();

    public void QueueOverrun1() => _overruns.Increment();

    public void Retransmit1() => _retransmits.Increment();

    public long Retransmits => _retransmits.Value;

    public void ConntrackEventOverrun1() => _eventOverruns.Increment();

    public long ConntrackEventOverruns => _eventOverruns.Value;
}
