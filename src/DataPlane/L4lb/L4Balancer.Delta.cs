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

            // As in ApplyAsync: queued SYNs are read only once a table is in place.
            _tableReady.Set();
            if (_set is null)
            {
                return [];
            }

            if (applied.ChangedVips is { } changed && !_needsRebuild && !LiveSetChanged(applied.Previous.Vips, table.Vips, changed))
            {
                // A backend that moved off loopback can change the range route's source even with the set unchanged.
                _route?.Update(table);
                return table.NamedVips;
            }

            var desired = _lingering.Desired(table.Vips.Select(v => v.Vip));
            _desired = desired;
            long kernelStarted = System.Diagnostics.Stopwatch.GetTimestamp();
            var programmed = _needsRebuild ? _set.Rebuild(desired) : _set.ApplyDelta(desired);
            if (!programmed.IsSuccess)
            {
                _needsRebuild = true;
                LogSetFailed(_logger, programmed.ToString());
                return ReachableNamed(table, _set.ProgrammedSnapshot());
            }

            _needsRebuild = false;

            // Program before publish: the range is routable before DNS names a VIP in it.
            _route?.Update(table);
            double buildMs = System.Diagnostics.Stopwatch.GetElapsedTime(started, kernelStarted).TotalMilliseconds;
            double kernelMs = System.Diagnostics.Stopwatch.GetElapsedTime(kernelStarted).TotalMilliseconds;
            int backends = 0;
            foreach (var vip in table.Vips)
            {
                backends += vip.Backends.Length;
            }

            LogApplied(_logger, table.Vips.Length, backends, table.NamedVips.Length, table.InvalidLabels.Length, buildMs, kernelMs);
            return table.NamedVips;
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
            if (Contains(before, vip) != Contains(after, vip))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Contains(ImmutableArray<VipDefinition> vips, IpPort vip)
    {
        int lo = 0, hi = vips.Length - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int c = vips[mid].Vip.CompareTo(vip);
            if (c == 0)
            {
                return true;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return false;
    }
}
