namespace Minuet.DataPlane.Dns.Codec;

/// <summary>
/// Parses an incoming query: exactly one question, answer/authority records skipped, the additional section
/// searched for one OPT record. Allocation-free; the question name goes into a caller-supplied buffer.
/// </summary>
internal static class DnsQueryReader
{
    /// <summary>Reads a query. <paramref name="headerRead"/> tells whether the 12-byte header (so the id) could be read.</summary>
    [System.Runtime.CompilerServices.SkipLocalsInit]
    public static DnsReadStatus TryRead(
        ReadOnlySpan<byte> packet, Span<byte> name, out DnsQuery query, out bool headerRead, out DnsMalformedReason reason)
    {
        query = default;
        reason = DnsMalformedReason.None;
        var reader = new DnsMessageReader(packet);
        headerRead = reader.TryReadHeader(out var header) == DnsReadStatus.Done;
        if (!headerRead)
        {
            return DnsReadStatus.Incomplete;
        }

        query = new DnsQuery(header, 0, default, 0, false, default);
        if (header.QdCount != 1)
        {
            reason = DnsMalformedReason.QuestionCount;
            return DnsReadStatus.Malformed;
        }

        var status = reader.TryReadQuestion(name, out int nameLength, out var type, out ushort qclass);
        if (status != DnsReadStatus.Done)
        {
            reason = reader.Reason;
            return status;
        }

        query = new DnsQuery(header, nameLength, type, qclass, false, default);
        int records = header.AnCount + header.NsCount;
        for (int i = 0; i < records; i++)
        {
            status = reader.TryReadRecord([], out _, out _);
            if (status != DnsReadStatus.Done)
            {
                reason = reader.Reason;
                return status;
            }
        }

        bool hasEdns = false;
        DnsEdns edns = default;
        Span<byte> owner = stackalloc byte[DnsName.MaxLength];
        for (int i = 0; i < header.ArCount; i++)
        {
            status = reader.TryReadRecord(owner, out int ownerLength, out var record);
            if (status != DnsReadStatus.Done)
            {
                reason = reader.Reason;
                return status;
            }

            if (record.Type != DnsRecordType.Opt)
            {
                continue;
            }

            if (hasEdns || ownerLength != 1)
            {
                reason = DnsMalformedReason.BadOpt;
                return DnsReadStatus.Malformed;
            }

            hasEdns = true;
            edns = DnsEdns.FromRecord(record);
        }

        query = new DnsQuery(header, nameLength, type, qclass, hasEdns, edns);
        return DnsReadStatus.Done;
    }
}
