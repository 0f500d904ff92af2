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

    /// <summary>Default TTL for names in the domain, and the SOA MINIMUM.</summary>
    public int Ttl { get; init; } = 60;

    /// <summary>SRV weight (Mesos-DNS <c>SRVRecordDefaultWeight</c>).</summary>
    public ushort SrvWeight { get; init; } = 1;
}
