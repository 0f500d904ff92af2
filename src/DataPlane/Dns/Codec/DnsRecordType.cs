namespace Minuet.DataPlane.Dns.Codec;

/// <summary>The resource-record types this server reads or writes (RFC 1035, 3596, 2782, 6891).</summary>
internal enum DnsRecordType : ushort
{
    A = 1,
    Ns = 2,
    Cname = 5,
    Soa = 6,
    Ptr = 12,
    Mx = 15,
    Txt = 16,
    Aaaa = 28,
    Srv = 33,
    Opt = 41,
    Any = 255,
}
