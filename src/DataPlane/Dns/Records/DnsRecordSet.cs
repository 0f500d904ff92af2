using System.Collections.Frozen;

namespace Minuet.DataPlane.Dns.Records;

/// <summary>
/// Every record the data plane serves, keyed by lower-case owner name without the trailing dot
/// (<c>web.marathon.mesos</c>). Built once per cluster-state change, never mutated; the DNS server compiles
/// it into wire-format answers and the HTTP API (<c>/v1/hosts</c>, <c>/v1/axfr</c> ...) reads it directly.
/// </summary>
public sealed class DnsRecordSet
{
    public DnsRecordSet(DnsZoneInfo zone, FrozenDictionary<string, DnsNameRecords> names)
        : this(zone, (IReadOnlyDictionary<string, DnsNameRecords>)names)
    {
    }

    /// <summary>A record set over any read-only map (the incremental path passes a persistent one).</summary>
    public DnsRecordSet(DnsZoneInfo zone, IReadOnlyDictionary<string, DnsNameRecords> names)
    {
        Zone = zone;
        Names = names;
    }

    public DnsZoneInfo Zone { get; }

    public IReadOnlyDictionary<string, DnsNameRecords> Names { get; }

    public static DnsRecordSet Empty(DnsZoneInfo zone) =>
        new(zone, FrozenDictionary<string, DnsNameRecords>.Empty);
}
