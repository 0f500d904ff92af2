namespace Minuet.Native.Netlink.Ipset;

/// <summary>enum ipset_cmd from linux/netfilter/ipset/ip_set.h: the low byte of an NFNL_SUBSYS_IPSET message type.</summary>
internal static class IpsetCommand
{
    public const byte Protocol = 1;
    public const byte Create = 2;
    public const byte Destroy = 3;
    public const byte Flush = 4;
    public const byte Rename = 5;
    public const byte Swap = 6;
    public const byte List = 7;
    public const byte Save = 8;
    public const byte Add = 9;
    public const byte Del = 10;
    public const byte Test = 11;
    public const byte Header = 12;
    public const byte Type = 13;
}
