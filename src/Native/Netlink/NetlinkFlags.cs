namespace Minuet.Native.Netlink;

/// <summary>nlmsg_flags bits from linux/netlink.h. GET and NEW requests reuse the same high bits with different meanings.</summary>
internal static class NetlinkFlags
{
    public const ushort Request = 0x1;
    public const ushort Multi = 0x2;
    public const ushort Ack = 0x4;
    public const ushort Echo = 0x8;
    public const ushort DumpInterrupted = 0x10;

    // Modifiers of GET requests.
    public const ushort Root = 0x100;
    public const ushort Match = 0x200;
    public const ushort Dump = Root | Match;

    // Modifiers of NEW requests.
    public const ushort Replace = 0x100;
    public const ushort Excl = 0x200;
    public const ushort Create = 0x400;
    public const ushort Append = 0x800;

    // Flags the kernel sets on an ACK (NLMSG_ERROR with error 0).
    public const ushort Capped = 0x100;
    public const ushort AckTlvs = 0x200;
}
