namespace Minuet.DataPlane.Dns.Codec;

/// <summary>Response codes (RFC 1035 4.1.1; BADVERS is an extended code carried partly in the OPT record, RFC 6891).</summary>
internal enum DnsRcode : byte
{
    NoError = 0,
    FormErr = 1,
    ServFail = 2,
    NxDomain = 3,
    NotImp = 4,
    Refused = 5,
    BadVers = 16,
}
