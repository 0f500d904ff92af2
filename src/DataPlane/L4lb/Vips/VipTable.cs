using System.Collections.Immutable;
using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.L4lb.Vips;

/// <summary>A backend of a VIP. Weight 0 (unhealthy or killing task) keeps it listed but gives it no new connections.</summary>
internal sealed record VipBackend(IpPort Endpoint, int Weight, string TaskId);

/// <summary>A VIP and its backends, ordered by endpoint. <see cref="Name"/> is <c>label.framework</c> for named VIPs.</summary>
internal sealed record VipDefinition(IpPort Vip, string? Name, ImmutableArray<VipBackend> Backends);

/// <summary>A VIP label that was skipped, with the reason (shown in the API and logged).</summary>
internal sealed record InvalidVipLabel(string TaskId, string Framework, string Key, string Value, string Reason);

/// <summary>
/// The VIP table built from one cluster state: every VIP with its backends, the named VIPs and their
/// addresses, and the labels that were skipped. Pure data; the balancer compiles it for the SYN path.
/// </summary>
internal sealed record VipTable(
    ImmutableArray<VipDefinition> Vips,
    ImmutableArray<NamedVipAddress> NamedVips,
    ImmutableArray<InvalidVipLabel> InvalidLabels)
{
    public static VipTable Empty { get; } = new([], [], []);
}
