using System.Buffers.Binary;
using System.Net;
using Minuet.DataPlane.Dns.Codec;

namespace Minuet.DataPlane.Tests.Dns;

/// <summary>A decoded record for assertions: owner text, type, TTL and RDATA as text (IP, "prio weight port target", ...).</summary>
internal sealed record ParsedRecord(string Name, DnsRecordType Type, uint Ttl, string Data);

/// <summary>A decoded message for assertions.</summary>
internal sealed record ParsedMessage(
    DnsHeader Header,
    List<(string Name, DnsRecordType Type, ushort Class)> Questions,
    List<ParsedRecord> Answers,
    List<ParsedRecord> Authority,
    List<ParsedRecord> Additional,
    DnsEdns? Edns)
{
    public DnsRcode Rcode => (DnsRcode)((Header.Flags & 0xF) | ((Edns?.ExtendedRcode ?? 0) << 4));

    public bool Aa => (Header.Flags & DnsHeader.FlagAa) != 0;

    public bool Tc => (Header.Flags & DnsHeader.FlagTc) != 0;

    public bool Ra => (Header.Flags & DnsHeader.FlagRa) != 0;

    public bool Rd => (Header.Flags & DnsHeader.FlagRd) != 0;
}

internal static class DnsTestMessages
{
    public static byte[] Query(string name, DnsRecordType type, ushort id = 0x1234, int? ednsSize = null, bool rd = true, ushort qclass = 1, byte ednsVersion = 0)
    {
        var buffer = new byte[512];
        var writer = new DnsMessageWriter(buffer, new ushort[64]);
        writer.WriteHeader(new DnsHeader(id, rd ? DnsHeader.FlagRd : (ushort)0, 1, 0, 0, (ushort)(ednsSize is null ? 0 : 1)));
        writer.WriteName(EncodePreservingCase(name), compress: false);
        writer.WriteUInt16((ushort)type);
        writer.WriteUInt16(qclass);
        if (ednsSize is int size)
        {
            int n = DnsEdns.Write(buffer.AsSpan(writer.Length), (ushort)size, 0, false);
            // The version lives in the TTL's second byte.
            buffer[writer.Length + 6] = ednsVersion;
            return buffer.AsSpan(0, writer.Length + n).ToArray();
        }

        return writer.Written.ToArray();
    }

    /// <summary>Wire form keeping the caller's letter case (DnsName.Encode lower-cases).</summary>
    public static byte[] EncodePreservingCase(string dotted)
    {
        var bytes = new List<byte>();
        foreach (var label in dotted.TrimEnd('.').Split('.', StringSplitOptions.RemoveEmptyEntries))
        {
            bytes.Add((byte)label.Length);
            bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(label));
        }

        bytes.Add(0);
        return [.. bytes];
    }

    public static ParsedMessage Parse(ReadOnlySpan<byte> message)
    {
        var reader = new DnsMessageReader(message);
        Assert.Equal(DnsReadStatus.Done, reader.TryReadHeader(out var header));
        var name = new byte[256];
        var questions = new List<(string, DnsRecordType, ushort)>();
        for (int i = 0; i < header.QdCount; i++)
        {
            Assert.Equal(DnsReadStatus.Done, reader.TryReadQuestion(name, out int len, out var type, out ushort qclass));
            questions.Add((DnsName.ToText(name.AsSpan(0, len)), type, qclass));
        }

        DnsEdns? edns = null;
        var answers = Section(ref reader, message, header.AnCount, ref edns);
        var authority = Section(ref reader, message, header.NsCount, ref edns);
        var additional = Section(ref reader, message, header.ArCount, ref edns);
        Assert.Equal(message.Length, reader.Position);
        return new ParsedMessage(header, questions, answers, authority, additional, edns);
    }

    private static List<ParsedRecord> Section(ref DnsMessageReader reader, ReadOnlySpan<byte> message, int count, ref DnsEdns? edns)
    {
        var name = new byte[256];
        var list = new List<ParsedRecord>();
        for (int i = 0; i < count; i++)
        {
            Assert.Equal(DnsReadStatus.Done, reader.TryReadRecord(name, out int len, out var rr));
            if (rr.Type == DnsRecordType.Opt)
            {
                edns = DnsEdns.FromRecord(rr);
                continue;
            }

            list.Add(new ParsedRecord(DnsName.ToText(name.AsSpan(0, len)), rr.Type, rr.Ttl, RdataText(message, rr)));
        }

        return list;
    }

    private static string RdataText(ReadOnlySpan<byte> message, DnsRecordHeader rr)
    {
        var rdata = message.Slice(rr.RdataOffset, rr.RdataLength);
        var name = new byte[256];
        switch (rr.Type)
        {
            case DnsRecordType.A:
            case DnsRecordType.Aaaa:
                return new IPAddress(rdata).ToString();
            case DnsRecordType.Srv:
            {
                int pos = rr.RdataOffset + 6;
                Assert.Equal(DnsReadStatus.Done, DnsName.TryRead(message, ref pos, name, out int len, out _));
                return $"{BinaryPrimitives.ReadUInt16BigEndian(rdata)} {BinaryPrimitives.ReadUInt16BigEndian(rdata[2..])} {BinaryPrimitives.ReadUInt16BigEndian(rdata[4..])} {DnsName.ToText(name.AsSpan(0, len))}";
            }

            case DnsRecordType.Ns:
            {
                int pos = rr.RdataOffset;
                Assert.Equal(DnsReadStatus.Done, DnsName.TryRead(message, ref pos, name, out int len, out _));
                return DnsName.ToText(name.AsSpan(0, len));
            }

            case DnsRecordType.Soa:
            {
                int pos = rr.RdataOffset;
                Assert.Equal(DnsReadStatus.Done, DnsName.TryRead(message, ref pos, name, out int l1, out _));
                string mname = DnsName.ToText(name.AsSpan(0, l1));
                Assert.Equal(DnsReadStatus.Done, DnsName.TryRead(message, ref pos, name, out int l2, out _));
                string rname = DnsName.ToText(name.AsSpan(0, l2));
                var n = message[pos..];
                return $"{mname} {rname} {BinaryPrimitives.ReadUInt32BigEndian(n)} {BinaryPrimitives.ReadUInt32BigEndian(n[4..])} {BinaryPrimitives.ReadUInt32BigEndian(n[8..])} {BinaryPrimitives.ReadUInt32BigEndian(n[12..])} {BinaryPrimitives.ReadUInt32BigEndian(n[16..])}";
            }

            default:
                return Convert.ToHexString(rdata);
        }
    }
}
