using System.Net;

namespace Minuet.DataPlane.Model;

/// <summary>
/// A named VIP whose kernel path is programmed: DNS publishes <c>{Label}.{Framework}.l4lb.thisdcos.directory</c>
/// for it only once the L4 balancer hands it over, so a resolvable name is always a reachable one.
/// </summary>
public sealed record NamedVipAddress(string Label, string Framework, IPAddress Address);
