namespace Minuet.DataPlane.Dns.Codec;

/// <summary>
/// What a query asks: its header, the one question (name kept by the caller, uncompressed, case as sent)
/// and its EDNS(0) OPT record if any.
/// </summary>
internal readonly record struct DnsQuery(
    DnsHeader Header,
    int NameLength,
    DnsRecordType Type,
    ushort Class,
    bool HasEdns,
    DnsEdns Edns);
