using System.Collections.Immutable;

namespace Minuet.DataPlane.Dns.Records;

/// <summary>
/// Zone-wide facts: the authoritative zones (the Mesos domain, default <c>mesos</c>, and
/// <c>thisdcos.directory</c>), SOA fields and TTLs, as Mesos-DNS configures them.
/// </summary>
public sealed record DnsZoneInfo
{
    /// <summary>The Mesos domain, lower-case, e.g. <c>mesos</c>.</summary>
    public string Domain { get; init; } = "mesos";

    /// <summary>Every zone this server is authoritative for (lower-case, no trailing dot).</summary>
    public ImmutableArray<string> AuthoritativeZones { get; init; } = ["mesos", "thisdcos.directory"];

    /// <summary>SOA MNAME (also the NS target): <c>ns1.mesos</c> by default.</summary>
    public string SoaMname { get; init; } = "ns1.mesos";

    /// <summary>SOA RNAME: <c>root.ns1.mesos</c> by default.</summary>
    public string SoaRname { get; init; } = "root.ns1.mesos";

    /// <summary>Unix time of the snapshot build, as Mesos-DNS uses for its serial.</summary>
    public uint Serial { get; init; }

    public int Refresh { get; init; } = 60;

    public int Retry { get; init; } = 600;

    public int Expire { get; init; } = 86400;

    /// <summary>Default TTL for names in the domain.</summary>
    public int Ttl { get; init; } = 60;

    /// <summary>
    /// How long resolvers may cache an absence (<c>--negative-ttl</c>): the SOA MINIMUM, and the TTL of the SOA in a
    /// negative answer, are both min(<see cref="Ttl"/>, this) (RFC 2308 5), so an app deployed right after a failed
    /// lookup is found within seconds rather than a whole TTL.
    /// </summary>
    public int NegativeTtl { get; init; } = 5;

    /// <summary>The negative-caching TTL actually served.</summary>
    public int EffectiveNegativeTtl => Math.Max(0, Math.Min(Ttl, NegativeTtl));

    /// <summary>SRV weight (Mesos-DNS <c>SRVRecordDefaultWeight</c>).</summary>
    public ushort SrvWeight { get; init; } = 1;
}
