using System.Collections.Immutable;
using System.Net;

namespace Minuet.DataPlane.Dns.Records;

/// <summary>The records of one owner name, deduplicated (Mesos-DNS keeps sets) and in generation order.</summary>
/// <remarks>
/// Also the home of the name's wire-format answers, compiled on its first query (<see cref="AnswerCache"/>): a
/// snapshot shares the objects of every name a delta did not touch, so their answers survive the delta, and a
/// touched name is a new object that starts uncompiled. The cache takes no part in equality, and a
/// <c>with</c> copy (other records) starts without it.
/// </remarks>
public sealed record DnsNameRecords
{
    public DnsNameRecords()
    {
    }

    private DnsNameRecords(DnsNameRecords original)
    {
        A = original.A;
        Aaaa = original.Aaaa;
        Srv = original.Srv;
        Ttl = original.Ttl;
    }

    public ImmutableArray<IPAddress> A { get; init; } = [];

    public ImmutableArray<IPAddress> Aaaa { get; init; } = [];

    public ImmutableArray<SrvValue> Srv { get; init; } = [];

    /// <summary>TTL for every record of this name (the domain's <c>--ttl</c>, 5 for l4lb VIP names).</summary>
    public int Ttl { get; init; } = 60;

    // Written once per compile scope with Interlocked.CompareExchange by the DNS answer index (Dns/Answers), read
    // lock-free on the query path. A field, so the exchange can take it by reference.
#pragma warning disable CA1051, SA1401 // the exchange needs a field; internal to the data plane
    internal object? AnswerCache;
#pragma warning restore CA1051, SA1401

    public bool Equals(DnsNameRecords? other) =>
        other is not null
        && (ReferenceEquals(this, other)
            || (Ttl == other.Ttl && A.Equals(other.A) && Aaaa.Equals(other.Aaaa) && Srv.Equals(other.Srv)));

    public override int GetHashCode() => HashCode.Combine(A, Aaaa, Srv, Ttl);
}

/// <summary>An SRV value: target owner name (lower-case, no trailing dot) and port; priority 0, weight from the zone.</summary>
public sealed record SrvValue(string Target, ushort Port);
