using Minuet.DataPlane.Dns.Codec;

namespace Minuet.DataPlane.Dns.Answers;

/// <summary>
/// A record to compile: owner, type, TTL and RDATA as fixed bytes, then names, then fixed bytes
/// (A: address; SRV: priority/weight/port then target; SOA: mname, rname then five numbers).
/// </summary>
internal sealed record RecordSpec(
    byte[] Owner,
    DnsRecordType Type,
    uint Ttl,
    byte[] Prefix,
    byte[][] Names,
    bool CompressNames,
    byte[] Suffix)
{
    /// <summary>For SRV and NS: the target as text, to find its addresses in the record set.</summary>
    public string? TargetText { get; init; }

    public static RecordSpec Fixed(byte[] owner, DnsRecordType type, uint ttl, byte[] rdata) =>
        new(owner, type, ttl, rdata, [], false, []);
}
