using System.Net;

namespace Minuet.DataPlane.Dns.Records;

/// <summary>What the record builder needs besides cluster state: Mesos-DNS's record-related configuration.</summary>
public sealed record DnsRecordOptions
{
    /// <summary>The Mesos domain, lower-case, no trailing dot.</summary>
    public string Domain { get; init; } = "mesos";

    public int Ttl { get; init; } = 60;

    /// <summary>Negative-caching TTL (<c>--negative-ttl</c>), see <see cref="DnsZoneInfo.NegativeTtl"/>.</summary>
    public int NegativeTtl { get; init; } = 5;

    public DnsLabelSpec LabelSpec { get; init; } = DnsLabelSpec.Rfc1123;

    public IReadOnlyList<IpSource> IpSources { get; init; } = Records.IpSources.Default;

    /// <summary>Addresses for the SOA MNAME (<c>ns1.mesos</c>): the DNS listener, or every non-loopback local IP when it listens on 0.0.0.0.</summary>
    public IReadOnlyList<IPAddress> ListenerAddresses { get; init; } = [];

    /// <summary>Configured masters as <c>ip:port</c> (Mesos-DNS <c>masters</c>), in <c>masterN</c> order.</summary>
    public IReadOnlyList<string> Masters { get; init; } = [];

    /// <summary>SOA MNAME; null means <c>ns1.{domain}</c>.</summary>
    public string? SoaMname { get; init; }

    /// <summary>SOA RNAME; null means <c>root.ns1.{domain}</c>.</summary>
    public string? SoaRname { get; init; }

    public ushort SrvWeight { get; init; } = 1;

    /// <summary>TTL of <c>*.l4lb.thisdcos.directory</c> names (dcos-net serves them with 5).</summary>
    public int VipTtl { get; init; } = 5;

    /// <summary>
    /// Turns a non-literal host (agent or scheduler pid host, framework hostname) into addresses. Null (the default)
    /// means literal IPs only: the builder never does name lookups of its own.
    /// </summary>
    public Func<string, IReadOnlyList<IPAddress>>? HostResolver { get; init; }

    public string EffectiveSoaMname => (SoaMname ?? "ns1." + Domain).TrimEnd('.').ToLowerInvariant();

    public string EffectiveSoaRname => (SoaRname ?? "root.ns1." + Domain).TrimEnd('.').ToLowerInvariant();
}
