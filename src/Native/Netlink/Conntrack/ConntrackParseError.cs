namespace Minuet.Native.Netlink.Conntrack;

/// <summary>Why a ctnetlink message could not be read as a conntrack entry.</summary>
public enum ConntrackParseError
{
    None = 0,

    /// <summary>Not a ctnetlink NEW/DELETE message.</summary>
    NotConntrack,

    /// <summary>An attribute's length runs past its container or is below its header.</summary>
    MalformedAttribute,

    /// <summary>No CTA_TUPLE_ORIG with addresses, protocol and ports.</summary>
    MissingOriginalTuple,

    /// <summary>Not IPv4 (the family in nfgenmsg); IPv6 is out of scope here.</summary>
    UnsupportedFamily,
}
