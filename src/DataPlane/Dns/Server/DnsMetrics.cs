using System.Diagnostics;
using Minuet.DataPlane.Dns.Codec;
using Minuet.DataPlane.Metrics;

namespace Minuet.DataPlane.Dns.Server;

/// <summary>
/// The DNS server's metrics in the data plane's <see cref="DataPlaneMetrics"/> registry (served at <c>/metrics</c>):
/// queries by type and response code, a latency histogram, forwarder errors, drops and refused TCP connections.
/// The per-(type, rcode) counters are fetched once here, so a query costs array indexing and striped increments.
/// </summary>
internal sealed class DnsMetrics
{
    /// <summary>Query types counted by name; everything else is "other".</summary>
    public static readonly DnsRecordType[] CountedTypes =
        [DnsRecordType.A, DnsRecordType.Aaaa, DnsRecordType.Srv, DnsRecordType.Soa, DnsRecordType.Ns, DnsRecordType.Any, DnsRecordType.Ptr, DnsRecordType.Txt, DnsRecordType.Mx];

    public static readonly DnsRcode[] CountedRcodes =
        [DnsRcode.NoError, DnsRcode.FormErr, DnsRcode.ServFail, DnsRcode.NxDomain, DnsRcode.NotImp, DnsRcode.Refused, DnsRcode.BadVers];

    /// <summary>Latency bucket bounds in seconds: answers take microseconds, forwarded queries milliseconds.</summary>
    public static readonly double[] LatencyBounds = [0.00001, 0.000025, 0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.01, 0.05, 0.25, 1, 5];

    private const int TypeSlots = 10;
    private const int RcodeSlots = 8;
    private static readonly double SecondsPerTick = 1.0 / Stopwatch.Frequency;

    private readonly MetricCounter[] _queries = new MetricCounter[TypeSlots * RcodeSlots];
    private readonly MetricHistogram _latency;
    private readonly MetricCounter _forwarderErrors;
    private readonly MetricCounter _dropped;
    private readonly MetricCounter _tcpRejected;
    private readonly MetricCounter _udpWorkerCrashes;

    public DnsMetrics()
        : this(new DataPlaneMetrics())
    {
    }

    public DnsMetrics(DataPlaneMetrics registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        var queries = registry.CreateLabelledCounter(
            "minuet_dns_queries_total", "DNS queries answered, by query type and response code.", "qtype", "rcode");
        for (int t = 0; t < TypeSlots; t++)
        {
            for (int r = 0; r < RcodeSlots; r++)
            {
                _queries[(t * RcodeSlots) + r] = queries.WithLabels(TypeName(t), RcodeName(r));
            }
        }

        _latency = registry.CreateHistogram(
            "minuet_dns_query_duration_seconds", "Time from receiving a DNS query to having its reply (forwarding included).", LatencyBounds);
        _forwarderErrors = registry.CreateCounter(
            "minuet_dns_forwarder_errors_total", "Forwarded queries that no upstream resolver answered (answered SERVFAIL).");
        _dropped = registry.CreateCounter(
            "minuet_dns_dropped_total", "Packets dropped without a reply (shorter than a header, or responses).");
        _tcpRejected = registry.CreateCounter(
            "minuet_dns_tcp_rejected_total", "TCP connections closed at accept because the connection cap was reached.");
        _udpWorkerCrashes = registry.CreateCounter(
            "minuet_dns_udp_worker_crashes_total", "UDP workers that crashed (each was restarted, or its socket closed after repeated crashes).");
    }

    public long ForwarderErrors => _forwarderErrors.Value;

    public long Dropped => _dropped.Value;

    public long TcpRejected => _tcpRejected.Value;

    public long UdpWorkerCrashes => _udpWorkerCrashes.Value;

    public long LatencyCount => _latency.Count;

    public long TotalQueries => _queries.Sum(c => c.Value);

    public long Queries(DnsRecordType type, DnsRcode rcode) => _queries[(TypeSlot(type) * RcodeSlots) + RcodeSlot(rcode)].Value;

    public void RecordQuery(DnsRecordType type, DnsRcode rcode, long elapsedTicks)
    {
        _queries[(TypeSlot(type) * RcodeSlots) + RcodeSlot(rcode)].Increment();
        _latency.Observe(elapsedTicks * SecondsPerTick);
    }

    public void RecordForwarderError() => _forwarderErrors.Increment();

    public void RecordDropped() => _dropped.Increment();

    public void RecordTcpRejected() => _tcpRejected.Increment();

    public void RecordUdpWorkerCrash() => _udpWorkerCrashes.Increment();

    private static int TypeSlot(DnsRecordType type) => type switch
    {
        DnsRecordType.A => 0,
        DnsRecordType.Aaaa => 1,
        DnsRecordType.Srv => 2,
        DnsRecordType.Soa => 3,
        DnsRecordType.Ns => 4,
        DnsRecordType.Any => 5,
        DnsRecordType.Ptr => 6,
        DnsRecordType.Txt => 7,
        DnsRecordType.Mx => 8,
        _ => TypeSlots - 1,
    };

    private static int RcodeSlot(DnsRcode rcode) => rcode switch
    {
        DnsRcode.NoError => 0,
        DnsRcode.FormErr => 1,
        DnsRcode.ServFail => 2,
        DnsRcode.NxDomain => 3,
        DnsRcode.NotImp => 4,
        DnsRcode.Refused => 5,
        DnsRcode.BadVers => 6,
        _ => RcodeSlots - 1,
    };

    private static string TypeName(int slot) => slot < CountedTypes.Length ? CountedTypes[slot].ToString().ToUpperInvariant() : "OTHER";

    private static string RcodeName(int slot) => slot < CountedRcodes.Length ? CountedRcodes[slot].ToString().ToUpperInvariant() : "OTHER";
}
