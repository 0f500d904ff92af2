namespace Minuet.Native.Netlink.Route;

/// <summary>
/// An IPv4 route as the kernel describes it in RTM_NEWROUTE (a lookup answer or a dump entry). Addresses are in
/// host byte order; fields the message lacked stay zero.
/// </summary>
public readonly record struct RouteInfo(
    uint Destination,
    byte PrefixLength,
    uint Table,
    byte Protocol,
    byte Scope,
    byte Type,
    uint OutputInterface,
    uint PreferredSource,
    uint Gateway)
{
    /// <summary>True for a route that delivers packets somewhere (unicast or local), not unreachable, blackhole or prohibit.</summary>
    public bool Delivers => Type is RouteConstants.TypeUnicast or RouteConstants.TypeLocal;
}
