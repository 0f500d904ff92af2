namespace Minuet.Native.Netlink.Nfqueue;

/// <summary>Why a queued payload did not yield a 5-tuple.</summary>
public enum PacketParseError
{
    None = 0,

    /// <summary>Fewer bytes than an IPv4 header (20).</summary>
    TooShort,

    /// <summary>The version nibble is not 4.</summary>
    NotIpv4,

    /// <summary>IHL below 5 or beyond the copied bytes.</summary>
    BadHeaderLength,

    /// <summary>A non-first fragment: it carries no transport header.</summary>
    Fragment,

    /// <summary>Neither TCP nor UDP.</summary>
    UnsupportedProtocol,

    /// <summary>The copy range cut the transport header short.</summary>
    TruncatedTransport,
}
