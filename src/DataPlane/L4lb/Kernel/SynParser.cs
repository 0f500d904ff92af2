using System.Buffers.Binary;
using Minuet.DataPlane.L4lb.Selection;

namespace Minuet.DataPlane.L4lb.Kernel;

/// <summary>Why a queued packet could not be read as an IPv4 TCP SYN or UDP datagram.</summary>
internal enum SynParseError
{
    None,
    TooShort,
    NotIpv4,
    BadHeaderLength,
    NotTcp,
    Fragment,
}

/// <summary>Reads the 5-tuple of a queued IPv4 TCP or UDP packet from its headers (no allocation, no copying).</summary>
internal static class SynParser
{
    public static SynParseError TryParse(ReadOnlySpan<byte> packet, out FlowTuple flow)
    {
        flow = default;
        if (packet.Length < 20)
        {
            return SynParseError.TooShort;
        }

        if (packet[0] >> 4 != 4)
        {
            return SynParseError.NotIpv4;
        }

        int headerLength = (packet[0] & 0x0f) * 4;
        if (headerLength < 20)
        {
            return SynParseError.BadHeaderLength;
        }

        byte protocol = packet[9];
        if (protocol is not (FlowTuple.Tcp or FlowTuple.Udp))
        {
            return SynParseError.NotTcp;
        }

        // A non-first fragment has no TCP/UDP header; its flow was decided by the first fragment's datagram.
        if ((BinaryPrimitives.ReadUInt16BigEndian(packet[6..]) & 0x1fff) != 0)
        {
            return SynParseError.Fragment;
        }

        if (packet.Length < headerLength + 4)
        {
            return SynParseError.TooShort;
        }

        var tcp = packet[headerLength..];
        flow = new FlowTuple(
            BinaryPrimitives.ReadUInt32BigEndian(packet[12..]),
            BinaryPrimitives.ReadUInt16BigEndian(tcp),
            BinaryPrimitives.ReadUInt32BigEndian(packet[16..]),
            BinaryPrimitives.ReadUInt16BigEndian(tcp[2..]),
            protocol);
        return SynParseError.None;
    }
}
