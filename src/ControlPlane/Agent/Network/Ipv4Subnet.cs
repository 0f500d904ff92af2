using System.Buffers.Binary;
using System.Globalization;
using System.Net;

namespace Minuet.ControlPlane.Agent.Network;

/// <summary>An IPv4 subnet with a gateway (first host) and an allocator for the rest (pure; state held by the caller).</summary>
internal sealed class Ipv4Subnet
{
    private readonly uint _network;
    private readonly HashSet<uint> _used = [];

    private Ipv4Subnet(uint network, int prefix)
    {
        _network = network;
        Prefix = prefix;
    }

    public int Prefix { get; }

    public IPAddress Gateway => ToAddress(_network + 1);

    private uint Broadcast => _network | (Prefix == 32 ? 0u : uint.MaxValue >> Prefix);

    public static ParseResultSubnet Parse(string cidr)
    {
        int slash = cidr.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || !IPAddress.TryParse(cidr[..slash], out var address) ||
            address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork ||
            !int.TryParse(cidr[(slash + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int prefix) ||
            prefix is < 8 or > 29)
        {
            return new(null, $"'{cidr}' is not an IPv4 CIDR with a prefix between /8 and /29");
        }

        uint value = BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
        uint mask = uint.MaxValue << (32 - prefix);
        return new(new Ipv4Subnet(value & mask, prefix), null);
    }

    public bool Contains(IPAddress address)
    {
        if (address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork)
        {
            return false;
        }

        uint value = BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes());
        return value > _network + 1 && value < Broadcast;
    }

    /// <summary>Marks an address as taken (recovery of running tasks); false if it is outside the task range or taken.</summary>
    public bool Reserve(IPAddress address) =>
        Contains(address) && _used.Add(BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes()));

    /// <summary>The lowest free task address, or null when the subnet is full.</summary>
    public IPAddress? Allocate()
    {
        for (uint candidate = _network + 2; candidate < Broadcast; candidate++)
        {
            if (_used.Add(candidate))
            {
                return ToAddress(candidate);
            }
        }

        return null;
    }

    public void Release(IPAddress address)
    {
        if (address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            _used.Remove(BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes()));
        }
    }

    private static IPAddress ToAddress(uint value)
    {
        var bytes = new byte[4];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
        return new IPAddress(bytes);
    }
}

/// <summary>A parsed subnet or why not.</summary>
internal readonly record struct ParseResultSubnet(Ipv4Subnet? Subnet, string? Error);
