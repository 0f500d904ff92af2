using Minuet.DataPlane.Dns.Codec;
using Minuet.DataPlane.Dns.Server;
using Minuet.DataPlane.Metrics;

namespace Minuet.DataPlane.Host;

/// <summary>Renders the DNS server's own striped counters at <c>/metrics</c> through <see cref="DataPlaneMetrics"/>.</summary>
internal static class DnsMetricsExporter
{
    public static void Register(DataPlaneMetrics registry, DnsMetrics dns)
    {
        registry.CreateCallbackCounter(
            "minuet_dns_queries_total", "DNS queries answered, by query type and response code.", ["qtype", "rcode"],
            () => Queries(dns));
        registry.CreateCallbackHistogram(
            "minuet_dns_query_duration_seconds", "Time from receiving a query to sending its answer.", DnsMetrics.LatencyBounds,
            dns.Latency);
        registry.CreateCallbackCounter("minuet_dns_forwarder_errors_total", "Failed attempts to forward a query upstream.", () => dns.ForwarderErrors);
        registry.CreateCallbackCounter("minuet_dns_dropped_total", "Packets dropped unanswered (unreadable, no query id).", () => dns.Dropped);
        registry.CreateCallbackCounter("minuet_dns_tcp_rejected_total", "TCP connections closed at accept (connection cap).", () => dns.TcpRejected);
    }

    private static List<KeyValuePair<string[], double>> Queries(DnsMetrics dns)
    {
        var samples = new List<KeyValuePair<string[], double>>();
        foreach (var type in DnsMetrics.CountedTypes)
        {
            foreach (var rcode in DnsMetrics.CountedRcodes)
            {
                long count = dns.Queries(type, rcode);
                if (count > 0)
                {
                    samples.Add(new([TypeName(type), RcodeName(rcode)], count));
                }
            }
        }

        long other = dns.TotalQueries - samples.Sum(s => (long)s.Value);
        if (other > 0)
        {
            samples.Add(new(["OTHER", "OTHER"], other));
        }

        return samples;
    }

    private static string TypeName(DnsRecordType type) => type.ToString().ToUpperInvariant();

    private static string RcodeName(DnsRcode rcode) => rcode.ToString().ToUpperInvariant();
}
