using System.Net;
using Minuet.DataPlane.Dns.Records;

namespace Minuet.DataPlane.Host;

/// <summary>Everything <c>minuet dataplane</c> runs with, validated (see <see cref="DataPlaneOptionsParser"/>).</summary>
public sealed record DataPlaneOptions
{
    public string? StateFile { get; init; }

    public Uri? StateUrl { get; init; }

    /// <summary>A master's base URL whose push stream (<c>/master/endpoints/stream</c>) is followed.</summary>
    public Uri? MasterUrl { get; init; }

    /// <summary>Every master given to <c>--master-url</c> (the first is <see cref="MasterUrl"/>); with several, the stream follows the leader.</summary>
    public IReadOnlyList<Uri> MasterUrls { get; init; } = [];

    /// <summary>
    /// Masters (<c>host:port</c>, Mesos-DNS's <c>masters</c>) among which the leader is found and polled every
    /// <see cref="Refresh"/>; they also name <c>masterN.{domain}</c>. Empty when another source is used.
    /// </summary>
    public IReadOnlyList<string> Masters { get; init; } = [];

    /// <summary>How often <see cref="StateUrl"/> is polled (and the state file's fallback poll).</summary>
    public TimeSpan Refresh { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Timeout of one state fetch.</summary>
    public TimeSpan StateTimeout { get; init; } = TimeSpan.FromSeconds(5);

    public IPEndPoint DnsListen { get; init; } = new(IPAddress.Any, 53);

    public IPEndPoint HttpListen { get; init; } = new(IPAddress.Loopback, 61421);

    public string Domain { get; init; } = "mesos";

    public int Ttl { get; init; } = 60;

    /// <summary>How long resolvers may cache "no such name" (<c>--negative-ttl</c>, seconds, at most <see cref="Ttl"/>).</summary>
    public int NegativeTtl { get; init; } = 5;

    public DnsLabelSpec LabelSpec { get; init; } = DnsLabelSpec.Rfc1123;

    public IReadOnlyList<IpSource> IpSources { get; init; } = Dns.Records.IpSources.Default;

    /// <summary>Explicit upstream resolvers; empty means the nameservers of /etc/resolv.conf (never this server).</summary>
    public IReadOnlyList<IPEndPoint> Upstreams { get; init; } = [];

    public bool Forward { get; init; } = true;

    /// <summary>Run the L4 VIP balancer (<c>--l4lb on</c>, the default).</summary>
    public bool L4lb { get; init; } = true;

    /// <summary>Run the DNS server at all (tests of the HTTP API alone turn it off).</summary>
    public bool DnsEnabled { get; init; } = true;
}
