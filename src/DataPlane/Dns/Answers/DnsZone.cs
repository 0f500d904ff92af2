namespace Minuet.DataPlane.Dns.Answers;

/// <summary>
/// An authoritative zone as the responder needs it: the apex in wire form, and the SOA record's bytes after its
/// owner name (type, class, TTL, RDATA), so negative answers only add a pointer to the apex inside the question.
/// </summary>
internal sealed record DnsZone(byte[] Apex, byte[] SoaAfterOwner);
