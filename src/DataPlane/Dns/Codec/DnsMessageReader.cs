using System.Buffers.Binary;

namespace Minuet.DataPlane.Dns.Codec;

/// <summary>
/// Forward-only reader over one DNS message: header, questions, then records. Never throws on bad input:
/// each step returns <see cref="DnsReadStatus"/> and, when malformed, leaves the cause in <see cref="Reason"/>.
/// </summary>
internal ref struct DnsMessageReader
{
    private readonly ReadOnlySpan<byte> _message;
    private int _position;

    public DnsMessageReader(ReadOnlySpan<byte> message)
    {
        _message = message;
        _position = 0;
        Reason = DnsMalformedReason.None;
    }

    public readonly int Position => _position;

    public DnsMalformedReason Reason { get; private set; }

    public DnsReadStatus TryReadHeader(out DnsHeader header)
    {
        if (!DnsHeader.TryRead(_message, out header))
        {
            return DnsReadStatus.Incomplete;
        }

        _position = DnsHeader.Size;
        return DnsReadStatus.Done;
    }

    /// <summary>Reads one question; the name goes uncompressed, case as sent, into <paramref name="name"/> (≥ 255 bytes).</summary>
    public DnsReadStatus TryReadQuestion(scoped Span<byte> name, out int nameLength, out DnsRecordType type, out ushort qclass)
    {
        type = default;
        qclass = 0;
        int pos = _position;
        var status = DnsName.TryRead(_message, ref pos, name, out nameLength, out var reason);
        if (status != DnsReadStatus.Done)
        {
            Reason = reason;
            return status;
        }

        if (pos + 4 > _message.Length)
        {
            return DnsReadStatus.Incomplete;
        }

        type = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(_message[pos..]);
        qclass = BinaryPrimitives.ReadUInt16BigEndian(_message[(pos + 2)..]);
        _position = pos + 4;
        return DnsReadStatus.Done;
    }

    /// <summary>Reads one record; pass an empty <paramref name="name"/> span to skip the owner without decoding it.</summary>
    public DnsReadStatus TryReadRecord(scoped Span<byte> name, out int nameLength, out DnsRecordHeader record)
    {
        record = default;
        nameLength = 0;
        int pos = _position;
        DnsReadStatus status;
        DnsMalformedReason reason;
        if (name.IsEmpty)
        {
            status = DnsName.Skip(_message, ref pos, out reason);
        }
        else
        {
            status = DnsName.TryRead(_message, ref pos, name, out nameLength, out reason);
        }

        if (status != DnsReadStatus.Done)
        {
            Reason = reason;
            return status;
        }

        if (pos + DnsRecordHeader.FixedSize > _message.Length)
        {
            return DnsReadStatus.Incomplete;
        }

        var type = (DnsRecordType)BinaryPrimitives.ReadUInt16BigEndian(_message[pos..]);
        ushort rclass = BinaryPrimitives.ReadUInt16BigEndian(_message[(pos + 2)..]);
        uint ttl = BinaryPrimitives.ReadUInt32BigEndian(_message[(pos + 4)..]);
        ushort rdLength = BinaryPrimitives.ReadUInt16BigEndian(_message[(pos + 8)..]);
        int rdata = pos + DnsRecordHeader.FixedSize;
        if (rdata + rdLength > _message.Length)
        {
            return DnsReadStatus.Incomplete;
        }

        record = new DnsRecordHeader(type, rclass, ttl, rdata, rdLength);
        _position = rdata + rdLength;
        return DnsReadStatus.Done;
    }

    public readonly ReadOnlySpan<byte> Rdata(in DnsRecordHeader record) => _message.Slice(record.RdataOffset, record.RdataLength);
}
