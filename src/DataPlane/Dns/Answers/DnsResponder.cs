using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using Minuet.DataPlane.Dns.Codec;

namespace Minuet.DataPlane.Dns.Answers;

/// <summary>
/// Turns one query packet into a response using a compiled <see cref="DnsAnswerIndex"/>. Allocation-free.
/// Packets shorter than the 12-byte header, and responses (QR=1), are dropped: without a full header we cannot
/// tell a query from a reflected reply, and answering those would feed loops. Anything else that does not parse
/// gets FORMERR with its id.
/// </summary>
internal static class DnsResponder
{
    /// <summary>Size of the largest response ever written over UDP (EDNS payloads above this are capped), plus the OPT record.</summary>
    public const int MaxUdpResponse = 4096;

    public const ushort ClassIn = 1;
    public const ushort ClassAny = 255;

    [SkipLocalsInit]
    public static DnsResponse Respond(
        DnsAnswerIndex index, ReadOnlySpan<byte> packet, Span<byte> output, bool tcp, bool forwarding, uint random)
    {
        Span<byte> name = stackalloc byte[DnsName.MaxLength + 1];
        var status = DnsQueryReader.TryRead(packet, name, out var query, out bool headerRead, out var reason);
        if (!headerRead || query.Header.IsResponse)
        {
            return new DnsResponse(DnsResponseKind.Drop, 0, 0, DnsRcode.NoError);
        }

        ushort raFlag = forwarding ? DnsHeader.FlagRa : (ushort)0;
        if (query.Header.Opcode != DnsOpcode.Query)
        {
            return Error(query, output, DnsRcode.NotImp, raFlag, default);
        }

        if (status != DnsReadStatus.Done)
        {
            return Error(query, output, DnsRcode.FormErr, raFlag, status == DnsReadStatus.Incomplete ? DnsMalformedReason.RdataOutOfRange : reason);
        }

        var qname = name[..query.NameLength];
        int limit = tcp ? ushort.MaxValue : 512;
        if (query.HasEdns)
        {
            if (query.Edns.Version != 0)
            {
                return WithQuestion(query, qname, output, DnsRcode.BadVers, raFlag);
            }

            if (!tcp)
            {
                limit = Math.Clamp((int)query.Edns.UdpPayloadSize, DnsEdns.MinimumPayload, MaxUdpResponse);
            }

            limit -= DnsEdns.RecordSize;
        }

        // Lower-case once; the table lookup is then a hash and a vectorised compare. Existing names carry their
        // zone, so only misses pay for finding the zone (NXDOMAIN inside it, forwarding outside).
        Span<byte> lower = stackalloc byte[DnsName.MaxLength + 1];
        DnsName.ToLowerFast(qname, lower);
        var lowerName = lower[..qname.Length];
        var entry = index.Ready ? index.Names.FindLower(lowerName) : null;
        int zone;
        int apexOffset = 0;
        if (entry is not null)
        {
            zone = entry.ZoneIndex;
            apexOffset = qname.Length - index.Zones[zone].Apex.Length;
        }
        else
        {
            zone = index.FindZone(lowerName, out apexOffset);
        }

        if (zone < 0)
        {
            return forwarding
                ? new DnsResponse(DnsResponseKind.Forward, 0, query.Type, DnsRcode.NoError)
                : WithQuestion(query, qname, output, DnsRcode.Refused, raFlag);
        }

        if (!index.Ready)
        {
            return WithQuestion(query, qname, output, DnsRcode.ServFail, raFlag);
        }

        if (query.Class != ClassIn && query.Class != ClassAny)
        {
            return WithQuestion(query, qname, output, DnsRcode.Refused, raFlag);
        }

        if (entry is null)
        {
            return Negative(query, qname, output, index.Zones[zone], apexOffset, DnsRcode.NxDomain, raFlag);
        }

        var answer = query.Type switch
        {
            DnsRecordType.A => entry.A,
            DnsRecordType.Aaaa => entry.Aaaa,
            DnsRecordType.Srv => entry.Srv,
            DnsRecordType.Soa => entry.Soa,
            DnsRecordType.Ns => entry.Ns,
            DnsRecordType.Any => entry.Any,
            _ => null,
        };
        if (answer is null)
        {
            return Negative(query, qname, output, index.Zones[zone], apexOffset, DnsRcode.NoError, raFlag);
        }

        int variant = (int)(random % (uint)answer.VariantCount);
        int length = answer.CopyTo(variant, output, limit, out bool truncated);
        ushort flags = (ushort)(DnsHeader.FlagQr | DnsHeader.FlagAa | raFlag | (query.Header.Flags & (DnsHeader.FlagRd | DnsHeader.FlagCd)));
        if (truncated)
        {
            flags |= DnsHeader.FlagTc;
        }

        BinaryPrimitives.WriteUInt16BigEndian(output, query.Header.Id);
        BinaryPrimitives.WriteUInt16BigEndian(output[2..], flags);
        // The question goes back exactly as the client spelled it (0x20 case randomisation relies on that).
        qname.CopyTo(output[DnsHeader.Size..]);
        BinaryPrimitives.WriteUInt16BigEndian(output[(DnsHeader.Size + qname.Length)..], (ushort)query.Type);
        // The compiled question says IN; a QCLASS=ANY query gets its own class back (RFC 1035 4.1.2 echoes the question).
        BinaryPrimitives.WriteUInt16BigEndian(output[(DnsHeader.Size + qname.Length + 2)..], query.Class);
        length = AppendOpt(query, output, length, DnsRcode.NoError);
        return new DnsResponse(DnsResponseKind.Reply, length, query.Type, DnsRcode.NoError);
    }

    // NXDOMAIN or NODATA: the question and the zone's SOA in the authority section (RFC 2308), owner pointing at
    // the apex inside the question.
    private static DnsResponse Negative(in DnsQuery query, ReadOnlySpan<byte> qname, Span<byte> output, DnsZone zone, int apexOffset, DnsRcode rcode, ushort raFlag)
    {
        int length = WriteQuestionHeader(query, qname, output, rcode, (ushort)(DnsHeader.FlagAa | raFlag), ns: 1);
        BinaryPrimitives.WriteUInt16BigEndian(output[length..], (ushort)(0xC000 | (DnsHeader.Size + apexOffset)));
        length += 2;
        zone.SoaAfterOwner.CopyTo(output[length..]);
        length += zone.SoaAfterOwner.Length;
        length = AppendOpt(query, output, length, rcode);
        return new DnsResponse(DnsResponseKind.Reply, length, query.Type, rcode);
    }

    private static DnsResponse WithQuestion(in DnsQuery query, ReadOnlySpan<byte> qname, Span<byte> output, DnsRcode rcode, ushort raFlag)
    {
        int length = WriteQuestionHeader(query, qname, output, rcode, raFlag, ns: 0);
        length = AppendOpt(query, output, length, rcode);
        return new DnsResponse(DnsResponseKind.Reply, length, query.Type, rcode);
    }

    /// <summary>An error reply with the query's id and opcode and no sections (the question may be what was broken).</summary>
    public static DnsResponse Error(in DnsQuery query, Span<byte> output, DnsRcode rcode, ushort raFlag, DnsMalformedReason reason)
    {
        ushort flags = DnsHeader.MakeFlags(
            query.Header.Opcode, rcode, (ushort)(DnsHeader.FlagQr | raFlag | (query.Header.Flags & DnsHeader.FlagRd)));
        new DnsHeader(query.Header.Id, flags, 0, 0, 0, 0).Write(output);
        return new DnsResponse(DnsResponseKind.Reply, DnsHeader.Size, query.Type, rcode, reason);
    }

    /// <summary>A datagram cut by the receive buffer: FORMERR with its id (or dropped, as any packet without a query header).</summary>
    public static DnsResponse RespondOversized(ReadOnlySpan<byte> packet, Span<byte> output, bool forwarding)
    {
        if (!DnsHeader.TryRead(packet, out var header) || header.IsResponse)
        {
            return new DnsResponse(DnsResponseKind.Drop, 0, 0, DnsRcode.NoError);
        }

        var query = new DnsQuery(header, 0, 0, 0, false, default);
        return Error(query, output, DnsRcode.FormErr, forwarding ? DnsHeader.FlagRa : (ushort)0, DnsMalformedReason.Oversized);
    }

    /// <summary>SERVFAIL (all upstreams failed) or REFUSED for a forwardable query, question echoed.</summary>
    [SkipLocalsInit]
    public static int WriteFailure(ReadOnlySpan<byte> packet, Span<byte> output, DnsRcode rcode, bool forwarding)
    {
        Span<byte> name = stackalloc byte[DnsName.MaxLength + 1];
        var status = DnsQueryReader.TryRead(packet, name, out var query, out bool headerRead, out _);
        if (!headerRead)
        {
            return 0;
        }

        ushort raFlag = forwarding ? DnsHeader.FlagRa : (ushort)0;
        if (status != DnsReadStatus.Done)
        {
            return Error(query, output, rcode, raFlag, default).Length;
        }

        int length = WriteQuestionHeader(query, name[..query.NameLength], output, rcode, raFlag, ns: 0);
        return AppendOpt(query, output, length, rcode);
    }

    private static int WriteQuestionHeader(in DnsQuery query, ReadOnlySpan<byte> qname, Span<byte> output, DnsRcode rcode, ushort extraFlags, ushort ns)
    {
        ushort flags = DnsHeader.MakeFlags(
            DnsOpcode.Query,
            (DnsRcode)((byte)rcode & 0xF),
            (ushort)(DnsHeader.FlagQr | extraFlags | (query.Header.Flags & (DnsHeader.FlagRd | DnsHeader.FlagCd))));
        new DnsHeader(query.Header.Id, flags, 1, 0, ns, 0).Write(output);
        int length = DnsHeader.Size;
        qname.CopyTo(output[length..]);
        length += qname.Length;
        BinaryPrimitives.WriteUInt16BigEndian(output[length..], (ushort)query.Type);
        BinaryPrimitives.WriteUInt16BigEndian(output[(length + 2)..], query.Class);
        return length + 4;
    }

    private static int AppendOpt(in DnsQuery query, Span<byte> output, int length, DnsRcode rcode)
    {
        if (!query.HasEdns)
        {
            return length;
        }

        length += DnsEdns.Write(output[length..], MaxUdpResponse, (byte)((byte)rcode >> 4), query.Edns.DnssecOk);
        ushort ar = BinaryPrimitives.ReadUInt16BigEndian(output[10..]);
        BinaryPrimitives.WriteUInt16BigEndian(output[10..], (ushort)(ar + 1));
        return length;
    }
}
