namespace Minuet.Native.Netlink;

/// <summary>The control message types every netlink family shares (linux/netlink.h); family types start at 0x10.</summary>
internal static class NetlinkMessageTypes
{
    public const ushort Noop = 1;
    public const ushort Error = 2;
    public const ushort Done = 3;
    public const ushort Overrun = 4;
    public const ushort MinType = 0x10;
}
