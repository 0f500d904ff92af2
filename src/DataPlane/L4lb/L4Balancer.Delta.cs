using System.Collections.Immutable;
using Minuet.DataPlane.L4lb.Vips;
using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.L4lb;

internal sealed partial class L4Balancer
{
    private IncrementalVipTable? _incremental;

    /// <summary>
    /// <see cref="ApplyAsync"/> for a task delta: only the VIPs the changed tasks name are merged and compiled again,
    /// and the kernel set is touched only when a VIP appeared or went. A rebuild delta, or a table that is not the
    /// one this path produced last (a full apply came in between), builds everything.
    /// </summary>
    public async ValueTask<IReadOnlyList<NamedVipAddress>> ApplyDeltaAsync(ClusterState state, StateDelta delta, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(delta);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            _incremental ??= new IncrementalVipTable(_builder);
            VipTableDelta? applied = null;
            try
            {
                if (!delta.Rebuild && ReferenceEquals(Balancer.Current.Source, _incremental.Current))
                {
                    applied = _incremental.Apply(delta.Tasks);
                }

                applied ??= new VipTableDelta(Balancer.Current.Source, _incremental.Rebuild(state), null);
            }
            catch
            {
                _incremental.Reset();
                throw;
            }

            var table = applied.Current;
            if (!table.InvalidLabels.Equals(applied.Previous.InvalidLabels))
            {
                LogNewInvalidLabels(table.InvalidLabels);
            }

            Balancer.ApplyDelta(applied, _incremental.IsListed);

            return ProgramAndPublish(table, started, applied);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Whether a changed VIP appeared or went (only then does the kernel set need work).</summary>
    private static bool LiveSetChanged(ImmutableArray<VipDefinition> before, ImmutableArray<VipDefinition> after, IReadOnlyList<IpPort> changed)
    {
        foreach (var vip in changed)
        {
            if ((SortedVips.IndexOf(before, vip) >= 0) != (SortedVips.IndexOf(after, vip) >= 0))
            {
                return true;
            }
        }

        return false;
    }

}
