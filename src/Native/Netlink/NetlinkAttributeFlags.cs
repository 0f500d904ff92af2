namespace Minuet.Native.Netlink;

/// <summary>The two high bits of nla_type (linux/netlink.h) and the mask that leaves the type number.</summary>
internal static class NetlinkAttributeFlags
{
    public const ushort Nested = 0x8000;
    public const ushort NetByteOrder = 0x4000;
    public const ushort TypeMask = 0x3fff;
}
