namespace Minuet.Native.Netlink.Ipset;

/// <summary>
/// One hash:ip,port member: IPv4 address as a host-order number (198.18.0.10 is 0xC612000A), port, and IP protocol
/// number (6 for TCP, 17 for UDP).
/// </summary>
public readonly record struct IpsetEntry(uint Address, ushort Port, byte Protocol = IpsetEntry.Tcp)
{
    public const byte Tcp = 6;
    public const byte Udp = 17;
}
