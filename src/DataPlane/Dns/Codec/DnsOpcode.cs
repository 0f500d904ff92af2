namespace Minuet.DataPlane.Dns.Codec;

/// <summary>Header opcodes; only <see cref="Query"/> is served, the rest get NOTIMP.</summary>
internal enum DnsOpcode : byte
{
    Query = 0,
    IQuery = 1,
    Status = 2,
    Notify = 4,
    Update = 5,
}
