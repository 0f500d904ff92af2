using System.Collections.Immutable;
using Minuet.DataPlane.L4lb.Vips;

namespace Minuet.DataPlane.L4lb.Selection;

/// <summary>
/// The VIP table compiled for the SYN path: routes by VIP key, each with its backends' states and the
/// policy's precomputed data. Immutable; the balancer swaps in a new one per cluster-state change.
/// </summary>
internal sealed partial class BalancerTable
{
    private readonly Model.ShardedMap<ulong, VipRoute> _byKey;
    private ImmutableArray<VipRoute> _routes;

    private BalancerTable(VipTable source, IBackendPolicy policy, ImmutableArray<VipRoute> routes)
    {
        Source = source;
        Policy = policy;
        _routes = routes;
        _byKey = Model.ShardedMap<ulong, VipRoute>.Create(routes.Select(r => KeyValuePair.Create(r.Vip.Key, r)), routes.Length);
    }

    public VipTable Source { get; }

    public IBackendPolicy Policy { get; }

    /// <summary>Routes ordered by VIP (after a delta, listed on first use: only the API reads them).</summary>
    public ImmutableArray<VipRoute> Routes => _routes.IsDefault ? (_routes = ListRoutes()) : _routes;

    public VipRoute? Find(uint address, ushort port, VipProtocol protocol = VipProtocol.Tcp) =>
        _byKey.TryGetValue(new IpPort(address, port, protocol).Key, out var route) ? route : null;

    public VipRoute? Find(IpPort vip) => _byKey.TryGetValue(vip.Key, out var route) ? route : null;

    public static BalancerTable Build(VipTable source, BackendRegistry registry, IBackendPolicy policy)
    {
        var routes = ImmutableArray.CreateBuilder<VipRoute>(source.Vips.Length);
        var live = new HashSet<IpPort>();
        foreach (var vip in source.Vips)
        {
            var all = new BackendState[vip.Backends.Length];
            var active = new List<BackendState>(vip.Backends.Length);
            for (int i = 0; i < all.Length; i++)
            {
                var backend = vip.Backends[i];
                all[i] = registry.GetOrAdd(backend.Endpoint);
                live.Add(backend.Endpoint);
                if (backend.Weight > 0)
                {
                    active.Add(all[i]);
                }
            }

            var activeArray = active.ToArray();
            routes.Add(new VipRoute(vip, all, activeArray, policy.Prepare(activeArray)));
        }

        registry.RetainOnly(live);
        return new BalancerTable(source, policy, routes.MoveToImmutable());
    }

    public static BalancerTable Empty(IBackendPolicy policy) => new(VipTable.Empty, policy, []);
}
