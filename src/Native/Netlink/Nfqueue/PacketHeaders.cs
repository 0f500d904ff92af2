using System.Buffers.Binary;
using Minuet.Native.Netlink.Conntrack;

namespace Minuet.Native.Netlink.Nfqueue;

/// <summary>Reads the IPv4 + TCP/UDP headers of a queued packet (RFC 791, RFC 793); bounds-checked, no allocation.</summary>
public static class PacketHeaders
{
    private const int Ipv4MinimumHeader = 20;

    public static PacketParseError TryParseIpv4(ReadOnlySpan<byte> packet, out PacketFlow flow)
    {
        flow = default;
        if (packet.Length < Ipv4MinimumHeader)
        {
            return PacketParseError.TooShort;
        }

        if (packet[0] >> 4 != 4)
        {
            return PacketParseError.NotIpv4;
        }

        int headerLength = (packet[0] & 0x0f) * 4;
        if (headerLength < Ipv4MinimumHeader || headerLength > packet.Length)
        {
            return PacketParseError.BadHeaderLength;
        }

        // Fragment offset (low 13 bits of bytes 6-7) non-zero: no transport header in this fragment.
        if ((BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) & 0x1fff) != 0)
        {
            return PacketParseError.Fragment;
        }

        byte protocol = packet[9];
        uint source = BinaryPrimitives.ReadUInt32BigEndian(packet[12..]);
        uint destination = BinaryPrimitives.ReadUInt32BigEndian(packet[16..]);
        var transport = packet[headerLength..];
        switch (protocol)
        {
            case ConntrackTuple.Tcp:
                if (transport.Length < 14)
                {
                    return PacketParseError.TruncatedTransport;
                }

                flow = new PacketFlow(source, destination, BinaryPrimitives.ReadUInt16BigEndian(transport), BinaryPrimitives.ReadUInt16BigEndian(transport[2..]), protocol, transport[13]);
                return PacketParseError.None;
            case ConntrackTuple.Udp:
                if (transport.Length < 4)
                {
                    return PacketParseError.TruncatedTransport;
                }

                flow = new PacketFlow(source, destination, BinaryPrimitives.ReadUInt16BigEndian(transport), BinaryPrimitives.ReadUInt16BigEndian(transport[2..]), protocol, 0);
                return PacketParseError.None;
            default:
                return PacketParseError.UnsupportedProtocol;
        }
    }
}
