using System.Buffers.Binary;

namespace Minuet.DataPlane.Dns.Codec;

/// <summary>The fixed 12-byte DNS header (RFC 1035 4.1.1) and its flag bits.</summary>
internal readonly record struct DnsHeader(ushort Id, ushort Flags, ushort QdCount, ushort AnCount, ushort NsCount, ushort ArCount)
{
    public const int Size = 12;

    public const ushort FlagQr = 0x8000;
    public const ushort FlagAa = 0x0400;
    public const ushort FlagTc = 0x0200;
    public const ushort FlagRd = 0x0100;
    public const ushort FlagRa = 0x0080;
    public const ushort FlagAd = 0x0020;
    public const ushort FlagCd = 0x0010;

    public bool IsResponse => (Flags & FlagQr) != 0;

    public DnsOpcode Opcode => (DnsOpcode)((Flags >> 11) & 0xF);

    public DnsRcode Rcode => (DnsRcode)(Flags & 0xF);

    public bool RecursionDesired => (Flags & FlagRd) != 0;

    public static ushort MakeFlags(DnsOpcode opcode, DnsRcode rcode, ushort bits) =>
        (ushort)(bits | (((int)opcode & 0xF) << 11) | ((int)rcode & 0xF));

    public static bool TryRead(ReadOnlySpan<byte> message, out DnsHeader header)
    {
        if (message.Length < Size)
        {
            header = default;
            return false;
        }

        header = new DnsHeader(
            BinaryPrimitives.ReadUInt16BigEndian(message),
            BinaryPrimitives.ReadUInt16BigEndian(message[2..]),
            BinaryPrimitives.ReadUInt16BigEndian(message[4..]),
            BinaryPrimitives.ReadUInt16BigEndian(message[6..]),
            BinaryPrimitives.ReadUInt16BigEndian(message[8..]),
            BinaryPrimitives.ReadUInt16BigEndian(message[10..]));
        return true;
    }

    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, Id);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], Flags);
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], QdCount);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], AnCount);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], NsCount);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], ArCount);
    }
}
