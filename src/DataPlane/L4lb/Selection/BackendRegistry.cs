using System.Collections.Concurrent;
using Minuet.DataPlane.L4lb.Vips;

namespace Minuet.DataPlane.L4lb.Selection;

/// <summary>
/// Every backend's <see cref="BackendState"/> by endpoint, kept across table rebuilds so counters, streaks and
/// benches survive a state update. Backends no VIP lists any more are pruned after each rebuild.
/// </summary>
internal sealed class BackendRegistry
{
    private readonly ConcurrentDictionary<IpPort, BackendState> _backends = new();

    public int Count => _backends.Count;

    public BackendState GetOrAdd(IpPort endpoint) => _backends.GetOrAdd(endpoint, static e => new BackendState(e));

    public bool TryGet(IpPort endpoint, out BackendState state) => _backends.TryGetValue(endpoint, out state!);

    /// <summary>Forgets one backend no VIP lists any more (the incremental path's prune).</summary>
    public void Remove(IpPort endpoint) => _backends.TryRemove(endpoint, out _);

    public void RetainOnly(IReadOnlySet<IpPort> live)
    {
        foreach (var endpoint in _backends.Keys)
        {
            if (!live.Contains(endpoint))
            {
                _backends.TryRemove(endpoint, out _);
            }
        }
    }
}
