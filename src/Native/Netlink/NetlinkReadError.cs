namespace Minuet.Native.Netlink;

/// <summary>Why a netlink buffer could not be read further; readers stop at the first one and never read out of bounds.</summary>
public enum NetlinkReadError
{
    None = 0,

    /// <summary>A length field points past the end of the buffer.</summary>
    Truncated,

    /// <summary>A length field is smaller than its own header.</summary>
    LengthTooSmall,

    /// <summary>A fixed-size payload (nfgenmsg, nlmsgerr, a typed attribute) is shorter than its type needs.</summary>
    PayloadTooShort,
}
