using System.Net;

namespace Minuet.DataPlane.Dns.Server;

/// <summary>How the DNS server listens, forwards and bounds its TCP clients.</summary>
public sealed record DnsServerOptions
{
    /// <summary>UDP listen address (default <c>0.0.0.0:53</c>); port 0 picks a free port, shared with TCP.</summary>
    public IPEndPoint UdpListen { get; init; } = new(IPAddress.Any, 53);

    /// <summary>TCP listen address; null means the same as <see cref="UdpListen"/> (after a port-0 bind, the same port).</summary>
    public IPEndPoint? TcpListen { get; init; }

    /// <summary>UDP workers, one SO_REUSEPORT socket each.</summary>
    public int Workers { get; init; } = Environment.ProcessorCount;

    /// <summary>Upstream resolvers in failover order; null reads <c>/etc/resolv.conf</c> (never this server itself).</summary>
    public IReadOnlyList<IPEndPoint>? Upstreams { get; init; }

    /// <summary>False answers REFUSED for names outside the authoritative zones (<c>--no-forward</c>).</summary>
    public bool Forwarding { get; init; } = true;

    /// <summary>Time allowed for each upstream before trying the next.</summary>
    public TimeSpan UpstreamTimeout { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>A TCP connection with no complete query for this long is closed (RFC 7766 6.2.3 suggests seconds).</summary>
    public TimeSpan TcpIdleTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Open TCP connections beyond this are closed on accept.</summary>
    public int MaxTcpConnections { get; init; } = 1024;

    /// <summary>Forwarded queries in flight beyond this get SERVFAIL at once, so a dead upstream cannot pile up work.</summary>
    public int MaxPendingForwards { get; init; } = 4096;

    /// <summary>
    /// The Mesos domain (<c>--domain</c>). The snapshot carries it too; this one shapes the placeholder served before the
    /// first snapshot, so names in a custom domain get SERVFAIL (try again) rather than being forwarded upstream.
    /// </summary>
    public string Domain { get; init; } = "mesos";

    /// <summary>Use recvmmsg/sendmmsg batches on UDP (Linux); false uses the portable socket loop.</summary>
    public bool BatchedUdp { get; init; } = true;
}
