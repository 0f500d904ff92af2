using Minuet.DataPlane.Dns.Codec;

namespace Minuet.DataPlane.Dns.Answers;

/// <summary>What to do with a packet: nothing, send the bytes written, or hand the query to the forwarder.</summary>
internal enum DnsResponseKind : byte
{
    Drop = 0,
    Reply = 1,
    Forward = 2,
}

/// <summary>The responder's verdict plus what metrics need (query type and response code).</summary>
internal readonly record struct DnsResponse(DnsResponseKind Kind, int Length, DnsRecordType QueryType, DnsRcode Rcode, DnsMalformedReason Reason = DnsMalformedReason.None);
