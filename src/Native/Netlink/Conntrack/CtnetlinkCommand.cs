namespace Minuet.Native.Netlink.Conntrack;

/// <summary>enum cntl_msg_types from linux/netfilter/nfnetlink_conntrack.h: the low byte of NFNL_SUBSYS_CTNETLINK types.</summary>
internal static class CtnetlinkCommand
{
    public const byte New = 0;
    public const byte Get = 1;
    public const byte Delete = 2;
}
