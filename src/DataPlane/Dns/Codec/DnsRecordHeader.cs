namespace Minuet.DataPlane.Dns.Codec;

/// <summary>The fixed part of a resource record after its owner name: type, class, TTL and RDATA position.</summary>
internal readonly record struct DnsRecordHeader(DnsRecordType Type, ushort Class, uint Ttl, int RdataOffset, ushort RdataLength)
{
    /// <summary>Bytes of TYPE, CLASS, TTL and RDLENGTH.</summary>
    public const int FixedSize = 10;
}
