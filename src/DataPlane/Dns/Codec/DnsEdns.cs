using System.Buffers.Binary;

namespace Minuet.DataPlane.Dns.Codec;

/// <summary>
/// The EDNS(0) OPT pseudo-record (RFC 6891 6.1): root owner, CLASS = requester's UDP payload size,
/// TTL = extended RCODE, version and the DO flag.
/// </summary>
internal readonly record struct DnsEdns(ushort UdpPayloadSize, byte ExtendedRcode, byte Version, bool DnssecOk)
{
    /// <summary>Bytes of an OPT record with no options: root name, TYPE, CLASS, TTL, RDLENGTH.</summary>
    public const int RecordSize = 11;

    /// <summary>Smallest payload a requester may advertise; smaller values are treated as 512 (RFC 6891 6.2.3).</summary>
    public const ushort MinimumPayload = 512;

    public static DnsEdns FromRecord(in DnsRecordHeader record) => new(
        (ushort)record.Class,
        (byte)(record.Ttl >> 24),
        (byte)(record.Ttl >> 16),
        (record.Ttl & 0x8000) != 0);

    /// <summary>Writes an option-less OPT record; returns the bytes written (always <see cref="RecordSize"/>).</summary>
    public static int Write(Span<byte> destination, ushort udpPayloadSize, byte extendedRcode, bool dnssecOk)
    {
        destination[0] = 0;
        BinaryPrimitives.WriteUInt16BigEndian(destination[1..], (ushort)DnsRecordType.Opt);
        BinaryPrimitives.WriteUInt16BigEndian(destination[3..], udpPayloadSize);
        uint ttl = ((uint)extendedRcode << 24) | (dnssecOk ? 0x8000u : 0u);
        BinaryPrimitives.WriteUInt32BigEndian(destination[5..], ttl);
        BinaryPrimitives.WriteUInt16BigEndian(destination[9..], 0);
        return RecordSize;
    }
}
