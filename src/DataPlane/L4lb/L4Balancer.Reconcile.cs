using Minuet.DataPlane.L4lb.Kernel;

namespace Minuet.DataPlane.L4lb;

/// <summary>The periodic repair: hairpin addresses re-read, rules reinstalled, the range route and the set brought back in line.</summary>
internal sealed partial class L4Balancer
{
    /// <summary>
    /// Re-reads this host's addresses for the hairpin rule (a bridge added later is picked up at the next
    /// reconcile). On failure the previous table stays: hairpin SNAT degrades, balancing does not stop.
    /// </summary>
    private async Task RefreshLocalSubnetsAsync(CancellationToken cancellationToken)
    {
        var listed = await _iptables.LocalAddressesAsync(cancellationToken).ConfigureAwait(false);
        if (listed.IsSuccess)
        {
            _hairpin.Update(HairpinSnat.Parse(listed.Output));
        }
        else
        {
            LogReconcileFailed(_logger, listed.ToString());
        }
    }

    private async Task ReconcileLoopAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_options.ReconcileInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                await ReconcileAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>Full comparison and repair: the rules are reinstalled, the set rebuilt from the current table.</summary>
    internal async Task ReconcileAsync(CancellationToken cancellationToken)
    {
        await RefreshLocalSubnetsAsync(cancellationToken).ConfigureAwait(false);
        var installed = await _iptables.InstallAsync(cancellationToken).ConfigureAwait(false);
        if (!installed.IsSuccess)
        {
            LogReconcileFailed(_logger, installed.ToString());
        }

        _route?.Reconcile();

        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_set is null)
            {
                return;
            }

            var rebuilt = _set.Rebuild(_desired);
            _needsRebuild = !rebuilt.IsSuccess;
            if (!rebuilt.IsSuccess)
            {
                LogReconcileFailed(_logger, rebuilt.ToString());
            }
        }
        finally
        {
            _gate.Release();
        }
    }
}
