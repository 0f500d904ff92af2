namespace Minuet.Native.Netlink;

/// <summary>nfnetlink framing (linux/netfilter/nfnetlink.h): subsystem ids, message type composition, multicast groups.</summary>
internal static class Nfnetlink
{
    /// <summary>The netlink protocol number of nfnetlink (NETLINK_NETFILTER).</summary>
    public const int NetlinkNetfilter = 12;

    public const byte Version0 = 0;

    public const byte SubsysCtnetlink = 1;
    public const byte SubsysCtnetlinkExp = 2;
    public const byte SubsysQueue = 3;
    public const byte SubsysIpset = 6;

    // enum nfnetlink_groups: group numbers for NETLINK_ADD_MEMBERSHIP.
    public const uint GroupConntrackNew = 1;
    public const uint GroupConntrackUpdate = 2;
    public const uint GroupConntrackDestroy = 3;

    /// <summary>nlmsg_type of an nfnetlink message: the subsystem in the high byte, its command in the low byte.</summary>
    public static ushort MessageType(byte subsystem, byte command) => (ushort)((subsystem << 8) | command);

    public static byte Subsystem(ushort messageType) => (byte)(messageType >> 8);

    public static byte Command(ushort messageType) => (byte)messageType;
}
