namespace Minuet.DataPlane.L4lb.Vips;

/// <summary>
/// What a VIP label asks for: an IP VIP (<c>198.19.0.10:80</c>) or a named VIP (<c>/web:80</c>, whose address
/// the allocator picks). <see cref="Label"/> is the DNS-safe label for named VIPs and null for IP VIPs.
/// </summary>
internal readonly record struct VipTarget(uint Address, string? Label, ushort Port)
{
    public bool IsNamed => Label is not null;
}
