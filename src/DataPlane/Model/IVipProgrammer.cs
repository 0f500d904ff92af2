namespace Minuet.DataPlane.Model;

/// <summary>
/// The L4 balancer as the snapshot pipeline sees it: applies a cluster state to the kernel (VIP set, rules,
/// backends) and returns the named VIPs whose path is now programmed, for DNS to publish.
/// The host runs without one when the balancer is off (<c>--l4lb off</c>).
/// </summary>
public interface IVipProgrammer
{
    ValueTask<IReadOnlyList<NamedVipAddress>> ApplyAsync(ClusterState state, CancellationToken cancellationToken);

    /// <summary>
    /// Applies <paramref name="state"/> knowing what changed since the last call (<paramref name="delta"/>), so only
    /// the VIPs the changed tasks name need work; the default ignores the delta and applies the whole state.
    /// </summary>
    ValueTask<IReadOnlyList<NamedVipAddress>> ApplyDeltaAsync(ClusterState state, StateDelta delta, CancellationToken cancellationToken) =>
        ApplyAsync(state, cancellationToken);
}
