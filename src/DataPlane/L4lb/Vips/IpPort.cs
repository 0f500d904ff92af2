using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Minuet.DataPlane.L4lb.Vips;

/// <summary>
/// An IPv4 address, port and transport (a VIP or a backend; TCP unless said otherwise). The address is kept
/// in host byte order so that an endpoint packs into one key for lock-free lookups on the SYN path. The same
/// address and port over TCP and over UDP are two endpoints (two VIPs, two kernel set members).
/// </summary>
internal readonly record struct IpPort(uint Address, ushort Port, VipProtocol Protocol = VipProtocol.Tcp) : IComparable<IpPort>
{
    private const ulong UdpBit = 1UL << 48;

    /// <summary>
    /// Address in bits 16-47, port in the low 16, bit 48 set for UDP: unique per endpoint, ordered like the
    /// triple, and a TCP endpoint's key is the plain 48-bit address:port it was before UDP existed.
    /// </summary>
    public ulong Key => ((ulong)Address << 16) | Port | (Protocol == VipProtocol.Udp ? UdpBit : 0);

    public IPAddress ToIPAddress() => FromHostOrder(Address);

    /// <summary><c>a.b.c.d:port</c>, whatever the protocol (Minuteman's key form).</summary>
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{FormatAddress(Address)}:{Port}");

    /// <summary><c>a.b.c.d:port</c> for TCP, <c>a.b.c.d:port/udp</c> for UDP: distinct for the two transports.</summary>
    public string ToKeyString() => Protocol == VipProtocol.Udp ? ToString() + "/udp" : ToString();

    public int CompareTo(IpPort other) => Key.CompareTo(other.Key);

    public static IpPort FromKey(ulong key) =>
        new((uint)(key >> 16), (ushort)key, (key & UdpBit) != 0 ? VipProtocol.Udp : VipProtocol.Tcp);

    /// <summary>Parses <c>a.b.c.d:port</c> (port 1-65535, TCP) or with a <c>/tcp</c> or <c>/udp</c> suffix.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out IpPort value)
    {
        value = default;
        var protocol = VipProtocol.Tcp;
        int slash = text.LastIndexOf('/');
        if (slash >= 0)
        {
            var suffix = text[(slash + 1)..];
            if (suffix.Equals("udp", StringComparison.OrdinalIgnoreCase))
            {
                protocol = VipProtocol.Udp;
            }
            else if (!suffix.Equals("tcp", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }

            text = text[..slash];
        }

        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !TryParseAddress(text[..colon], out uint address))
        {
            return false;
        }

        if (!ushort.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out ushort port) || port == 0)
        {
            return false;
        }

        value = new IpPort(address, port, protocol);
        return true;
    }

    /// <summary>Parses a dotted-quad IPv4 address into host byte order; IPv6 and names are rejected.</summary>
    public static bool TryParseAddress(ReadOnlySpan<char> text, out uint address)
    {
        address = 0;
        if (!IPAddress.TryParse(text, out var ip) || ip.AddressFamily != AddressFamily.InterNetwork)
        {
            return false;
        }

        // IPAddress.TryParse accepts "1" or "1.2" as shorthand; a VIP label must spell all four octets.
        if (text.Count('.') != 3)
        {
            return false;
        }

        address = ToHostOrder(ip);
        return true;
    }

    public static uint ToHostOrder(IPAddress ip)
    {
        Span<byte> bytes = stackalloc byte[4];
        ip.TryWriteBytes(bytes, out _);
        return BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public static IPAddress FromHostOrder(uint address)
    {
        Span<byte> bytes = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, address);
        return new IPAddress(bytes);
    }

    public static string FormatAddress(uint address) => string.Create(
        CultureInfo.InvariantCulture, $"{address >> 24}.{(address >> 16) & 0xff}.{(address >> 8) & 0xff}.{address & 0xff}");
}
