namespace Minuet.Native.Netlink.Ipset;

/// <summary>Attribute numbers from linux/netfilter/ipset/ip_set.h (command level, data level, address level).</summary>
internal static class IpsetAttributes
{
    // Command level (IPSET_ATTR_*).
    public const ushort Protocol = 1;
    public const ushort SetName = 2;
    public const ushort TypeName = 3;
    public const ushort SetName2 = TypeName;
    public const ushort Revision = 4;
    public const ushort Family = 5;
    public const ushort Flags = 6;
    public const ushort Data = 7;
    public const ushort Adt = 8;
    public const ushort LineNo = 9;
    public const ushort ProtocolMin = 10;
    public const ushort RevisionMin = ProtocolMin;
    public const ushort Index = 11;

    // Data level (create/add/del/test/list entries).
    public const ushort Ip = 1;
    public const ushort Port = 4;
    public const ushort Timeout = 6;
    public const ushort Proto = 7;
    public const ushort HashSize = 18;
    public const ushort MaxElem = 19;
    public const ushort Elements = 24;

    // Inside IPSET_ATTR_IP.
    public const ushort IpAddrIpv4 = 1;
    public const ushort IpAddrIpv6 = 2;

    /// <summary>Protocol version this code speaks; the kernel accepts [IPSET_PROTOCOL_MIN=6, IPSET_PROTOCOL=7].</summary>
    public const byte ProtocolVersion = 7;
    public const byte ProtocolVersionMin = 6;

    /// <summary>IPSET_MAXNAMELEN minus the terminating NUL.</summary>
    public const int MaxNameLength = 31;
}
