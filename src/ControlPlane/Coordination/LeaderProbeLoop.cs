using System.Diagnostics;
using Grpc.Core;
using Microsoft.Extensions.Logging;

namespace Minuet.ControlPlane.Coordination;

/// <summary>
/// A standby's watch over a live leader process (<see cref="LeaderElectionOptions.ProbeTarget"/>): it connects to the
/// leader's advertised address every <see cref="LeaderElectionOptions.ProbeInterval"/>; once
/// <see cref="LeaderDeathDetector"/> judges the process dead (its port refuses connections), it removes exactly the
/// term it observed (<see cref="LeaderTakeover"/>) and wakes the campaign, so a crashed leader is replaced in about
/// a second instead of after its lease. A host that vanishes (no answer at all) is left to the lease.
/// </summary>
internal sealed class LeaderProbeLoop
{
    private readonly EtcdConnection _etcd;
    private readonly LeaderElectionOptions _options;
    private readonly Func<bool> _leading;
    private readonly Func<LeaderTerm?> _observed;
    private readonly Action<LeaderTerm> _removed;
    private readonly ILogger _log;
    private readonly LeaderDeathDetector _detector;

    public LeaderProbeLoop(EtcdConnection etcd, LeaderElectionOptions options, Func<bool> leading, Func<LeaderTerm?> observed, Action<LeaderTerm> removed, ILogger log)
    {
        _etcd = etcd;
        _options = options;
        _leading = leading;
        _observed = observed;
        _removed = removed;
        _log = log;
        _detector = new LeaderDeathDetector(options.ProbeRefusals, options.ProbeInterval * (options.ProbeRefusals - 1), options.ProbeArm);
    }

    /// <summary>The leader's term this standby would remove on refusals now (tests wait for it rather than sleep).</summary>
    public LeaderTerm? ArmedFor { get; private set; }

    public async Task RunAsync(CancellationToken stop)
    {
        var target = _options.ProbeTarget!;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(_options.ProbeInterval, stop).ConfigureAwait(false);
                var term = _observed();
                if (_leading() || term is null || term.Value == _options.Value || target(term.Value) is not { } address)
                {
                    _detector.Reset();
                    ArmedFor = null;
                    continue;
                }

                if (address.Equals(target(_options.Value)))
                {
                    // Another process's term at this candidate's own address: that process is gone, since this one
                    // listens there now (a member restarted where it died). Nothing to probe.
                    await TakeOverAsync(term, address.ToString() ?? "?", "it names this candidate's own address, where this process listens now", stop).ConfigureAwait(false);
                    continue;
                }

                var result = await TcpLeaderProbe.ProbeAsync(address, _options.ProbeInterval * 2, stop).ConfigureAwait(false);
                bool dead = _detector.Observe(term, result, Stopwatch.GetElapsedTime(0));
                ArmedFor = _detector.ArmedFor;
                if (!dead)
                {
                    continue;
                }

                _detector.Reset();
                ArmedFor = null;
                await TakeOverAsync(term, address.ToString() ?? "?", $"it refused {_options.ProbeRefusals} connections in a row", stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task TakeOverAsync(LeaderTerm term, string address, string why, CancellationToken stop)
    {
        try
        {
            var response = await _etcd.Client.TransactionAsync(LeaderTakeover.Request(_options.Key, term), deadline: _etcd.Deadline, cancellationToken: stop).ConfigureAwait(false);
            if (response.Succeeded)
            {
                CoordinationLog.TookOver(_log, _options.Key, address, why, term.CreateRevision, term.Lease);
                _removed(term);
            }
            else
            {
                CoordinationLog.TakeoverMoot(_log, _options.Key, term.CreateRevision);
            }
        }
        catch (RpcException e)
        {
            CoordinationLog.TakeoverFailed(_log, _options.Key, $"{e.Status.StatusCode}: {e.Status.Detail}");
        }
    }
}
