using Minuet.DataPlane.L4lb.Selection;
using Minuet.DataPlane.L4lb.Vips;

namespace Minuet.DataPlane.L4lb;

/// <summary>
/// The balancing core without the kernel: holds the current <see cref="BalancerTable"/> (one volatile
/// reference, swapped per update) and answers "which backend for this SYN" without locks or allocation.
/// </summary>
internal sealed class VipBalancer(IBackendPolicy policy, BackendRegistry registry)
{
    private BalancerTable _table = BalancerTable.Empty(policy);

    public IBackendPolicy Policy { get; } = policy;

    public BackendRegistry Registry { get; } = registry;

    public BalancerTable Current => Volatile.Read(ref _table);

    /// <summary>Compiles and publishes a new table. Writers are serialised by the caller.</summary>
    public BalancerTable Apply(VipTable table)
    {
        var compiled = BalancerTable.Build(table, Registry, Policy);
        Volatile.Write(ref _table, compiled);
        return compiled;
    }

    /// <summary>Publishes the table after a delta, recompiling only the routes it changed. Writers are serialised by the caller.</summary>
    public BalancerTable ApplyDelta(VipTableDelta delta, Func<IpPort, bool> isListed)
    {
        var compiled = BalancerTable.Update(Volatile.Read(ref _table), delta, Registry, Policy, isListed);
        Volatile.Write(ref _table, compiled);
        return compiled;
    }

    /// <summary>The backend for a SYN (or a UDP flow's first datagram), or null when its destination is no VIP or the VIP has no active backend.</summary>
    public BackendState? Choose(in FlowTuple flow)
    {
        var route = Volatile.Read(ref _table).Find(flow.DestinationAddress, flow.DestinationPort, flow.VipProtocol);
        return route is null ? null : Policy.Choose(route, flow);
    }
}
