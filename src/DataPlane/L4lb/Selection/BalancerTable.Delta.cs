using System.Collections.Immutable;
using Minuet.DataPlane.L4lb.Vips;

namespace Minuet.DataPlane.L4lb.Selection;

internal sealed partial class BalancerTable
{
    private BalancerTable(VipTable source, IBackendPolicy policy, Model.ShardedMap<ulong, VipRoute> byKey)
    {
        Source = source;
        Policy = policy;
        _byKey = byKey;
    }

    /// <summary>
    /// The table after <paramref name="delta"/>: routes of the changed VIPs are compiled again, every other route
    /// (with its cursor and the policy's precomputed data) is carried over, and backends no VIP lists any more leave
    /// the registry. A delta without a list of changed VIPs compiles everything.
    /// </summary>
    public static BalancerTable Update(
        BalancerTable previous, VipTableDelta delta, BackendRegistry registry, IBackendPolicy policy, Func<IpPort, bool> isListed)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(delta);
        ArgumentNullException.ThrowIfNull(isListed);
        if (delta.ChangedVips is not { } changed || !ReferenceEquals(previous.Source, delta.Previous) || previous.Policy != policy)
        {
            return Build(delta.Current, registry, policy);
        }

        var current = delta.Current;
        var updates = new List<KeyValuePair<ulong, VipRoute?>>(changed.Count);
        foreach (var vip in changed)
        {
            if (previous._byKey.TryGetValue(vip.Key, out var old))
            {
                foreach (var backend in old.Definition.Backends)
                {
                    if (!isListed(backend.Endpoint))
                    {
                        registry.Remove(backend.Endpoint);
                    }
                }
            }

            int at = SortedVips.IndexOf(current.Vips, vip);
            updates.Add(new(vip.Key, at >= 0 ? Compile(current.Vips[at], registry, policy) : null));
        }

        return new BalancerTable(current, policy, previous._byKey.With(updates));
    }

    private ImmutableArray<VipRoute> ListRoutes()
    {
        var routes = ImmutableArray.CreateBuilder<VipRoute>(Source.Vips.Length);
        foreach (var definition in Source.Vips)
        {
            routes.Add(_byKey[definition.Vip.Key]);
        }

        return routes.MoveToImmutable();
    }

    private static VipRoute Compile(VipDefinition vip, BackendRegistry registry, IBackendPolicy policy)
    {
        var all = new BackendState[vip.Backends.Length];
        var active = new List<BackendState>(vip.Backends.Length);
        for (int i = 0; i < all.Length; i++)
        {
            all[i] = registry.GetOrAdd(vip.Backends[i].Endpoint);
            if (vip.Backends[i].Weight > 0)
            {
                active.Add(all[i]);
            }
        }

        var activeArray = active.ToArray();
        return new VipRoute(vip, all, activeArray, policy.Prepare(activeArray));
    }
}
