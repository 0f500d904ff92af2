using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Minuet.DataPlane.L4lb.Vips;

/// <summary>
/// An IPv4 address and TCP port (a VIP or a backend). The address is kept in host byte order so that an
/// endpoint packs into one 48-bit key for lock-free lookups on the SYN path.
/// </summary>
internal readonly record struct IpPort(uint Address, ushort Port) : IComparable<IpPort>
{
    /// <summary>Address in the high bits, port in the low 16: unique per endpoint, ordered like the pair.</summary>
    public ulong Key => ((ulong)Address << 16) | Port;

    public IPAddress ToIPAddress() => FromHostOrder(Address);

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{FormatAddress(Address)}:{Port}");

    public int CompareTo(IpPort other) => Key.CompareTo(other.Key);

    public static IpPort FromKey(ulong key) => new((uint)(key >> 16), (ushort)key);

    /// <summary>Parses <c>a.b.c.d:port</c> (port 1-65535).</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out IpPort value)
    {
        value = default;
        int colon = text.LastIndexOf(':');
        if (colon <= 0 || !TryParseAddress(text[..colon], out uint address))
        {
            return false;
        }

        if (!ushort.TryParse(text[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out ushort port) || port == 0)
        {
            return false;
        }

        value = new IpPort(address, port);
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
