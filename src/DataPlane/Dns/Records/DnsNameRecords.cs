using System.Collections.Immutable;
using System.Net;

namespace Minuet.DataPlane.Dns.Records;

/// <summary>The records of one owner name, deduplicated (Mesos-DNS keeps sets) and in generation order.</summary>
public sealed record DnsNameRecords
{
    public ImmutableArray<IPAddress> A { get; init; } = [];

    public ImmutableArray<IPAddress> Aaaa { get; init; } = [];

    public ImmutableArray<SrvValue> Srv { get; init; } = [];

    /// <summary>TTL for every record of this name (the domain's <c>--ttl</c>, 5 for l4lb VIP names).</summary>
    public int Ttl { get; init; } = 60;
}

/// <summary>An SRV value: target owner name (lower-case, no trailing dot) and port; priority 0, weight from the zone.</summary>
public sealed record SrvValue(string Target, ushort Port);
