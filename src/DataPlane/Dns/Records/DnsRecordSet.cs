using System.Collections.Frozen;

namespace Minuet.DataPlane.Dns.Records;

/// <summary>
/// Every record the data plane serves, keyed by lower-case owner name without the trailing dot
/// (<c>web.marathon.mesos</c>). Built once per cluster-state change, never mutated; the DNS server compiles
/// it into wire-format answers and the HTTP API (<c>/v1/hosts</c>, <c>/v1/axfr</c> ...) reads it directly.
/// </summary>
public sealed class DnsRecordSet
{
    private readonly Model.ShardedMap<string, DnsNameRecords>? _sharded;
    private readonly FrozenDictionary<string, DnsNameRecords>.AlternateLookup<ReadOnlySpan<char>> _frozen;
    private readonly bool _hasFrozen;

    public DnsRecordSet(DnsZoneInfo zone, FrozenDictionary<string, DnsNameRecords> names)
        : this(zone, (IReadOnlyDictionary<string, DnsNameRecords>)names)
    {
    }

    /// <summary>A record set over any read-only map (the incremental path passes a persistent one).</summary>
    public DnsRecordSet(DnsZoneInfo zone, IReadOnlyDictionary<string, DnsNameRecords> names)
    {
        Zone = zone;
        Names = names;
        _sharded = names as Model.ShardedMap<string, DnsNameRecords>;
        if (names is FrozenDictionary<string, DnsNameRecords> frozen
            && frozen.TryGetAlternateLookup<ReadOnlySpan<char>>(out var lookup))
        {
            _frozen = lookup;
            _hasFrozen = true;
        }
    }

    public DnsZoneInfo Zone { get; }

    public IReadOnlyDictionary<string, DnsNameRecords> Names { get; }

    /// <summary>
    /// Finds a name given as characters, without allocating for the maps the data plane builds (frozen and sharded
    /// ones); the DNS answer index looks query names up this way.
    /// </summary>
    internal bool TryGetValue(ReadOnlySpan<char> name, [System.Diagnostics.CodeAnalysis.MaybeNullWhen(false)] out DnsNameRecords records)
    {
        if (_sharded is not null)
        {
            return _sharded.TryGetAlternate(name, out records);
        }

        if (_hasFrozen)
        {
            return _frozen.TryGetValue(name, out records);
        }

        return Names.TryGetValue(name.ToString(), out records);
    }

    public static DnsRecordSet Empty(DnsZoneInfo zone) =>
        new(zone, FrozenDictionary<string, DnsNameRecords>.Empty);
}
