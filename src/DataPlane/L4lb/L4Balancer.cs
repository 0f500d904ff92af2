using System.Collections.Immutable;
using Microsoft.Extensions.Logging;
using Minuet.DataPlane.L4lb.Health;
using Minuet.DataPlane.L4lb.Kernel;
using Minuet.DataPlane.L4lb.Selection;
using Minuet.DataPlane.L4lb.Vips;
using Minuet.DataPlane.Metrics;
using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.L4lb;

/// <summary>
/// The L4 VIP balancer as the snapshot pipeline sees it. <see cref="ApplyAsync"/> builds the VIP table from
/// the cluster state, swaps it in for the queue workers, brings the VIP ipset in line (delta) and returns
/// the named VIPs whose kernel path now exists, so DNS never names a VIP that does not work. Start installs
/// the rules and starts one queue worker per queue plus the conntrack health monitor; a periodic reconcile
/// repairs the set and rules; clean disposal removes them. Runs in the network namespace it was started in.
/// </summary>
internal sealed partial class L4Balancer : IVipProgrammer, IAsyncDisposable
{
    private readonly L4lbOptions _options;
    private readonly ILogger _logger;
    private readonly ILoggerFactory _loggerFactory;
    private readonly VipTableBuilder _builder;
    private readonly IptablesInstaller _iptables;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly List<QueueWorker> _workers = [];
    private readonly CancellationTokenSource _stopping = new();
    private readonly LingeringVips _lingering;
    private readonly HairpinSnat _hairpin = new();
    private readonly ManualResetEventSlim _tableReady = new(false);
    private HashSet<IpPort> _desired = [];
    private HashSet<(string, string, string)> _loggedInvalid = [];
    private VipSet? _set;
    private ConntrackHealthMonitor? _monitor;
    private VipRangeRoute? _route;
    private Task? _reconcileLoop;
    private bool _needsRebuild = true;
    private int _disposed;

    public L4Balancer(L4lbOptions options, ILoggerFactory loggerFactory, DataPlaneMetrics? metrics = null, TimeProvider? time = null, Random? random = null)
    {
        _options = options;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<L4Balancer>();
        var clock = time ?? TimeProvider.System;
        var policy = BackendPolicies.Create(options.Policy, random ?? Random.Shared, clock, out var reason)
            ?? throw new ArgumentException($"--policy: {reason}", nameof(options));
        var registry = new BackendRegistry();
        Balancer = new VipBalancer(policy, registry);
        Health = new HealthTracker(registry, options.Health, clock, flow => Balancer.Current.Find(flow.DestinationAddress, flow.DestinationPort) is not null);
        Metrics = new L4lbMetrics(metrics);
        Status = new L4lbStatus(Balancer, options, Metrics, clock);
        _lingering = new LingeringVips(options.VipLinger, clock);
        _builder = new VipTableBuilder(new NamedVipAllocator(options.VipRange));
        _iptables = new IptablesInstaller(new IptablesRules(options), options.ToolNetworkNamespace);
    }

    public VipBalancer Balancer { get; }

    public HealthTracker Health { get; }

    public L4lbMetrics Metrics { get; }

    /// <summary>What the HTTP API reads.</summary>
    public L4lbStatus Status { get; }

    /// <summary>
    /// Opens the set, installs the rules, starts queue workers and health monitoring. Returns null when running,
    /// or what failed (the caller exits with it). Existing conntrack entries are left alone, so flows balanced
    /// by a previous run keep going.
    /// </summary>
    public async Task<string?> StartAsync(CancellationToken cancellationToken)
    {
        // Every netlink socket is opened before the first await, on the caller's thread: its network namespace
        // is the one the balancer serves (setns is per thread; continuations may run elsewhere).
        var opened = VipSet.TryOpen(_options.SetName, out _set);
        if (!opened.IsSuccess)
        {
            return $"ipset: {opened}";
        }

        var ensured = _set!.Ensure();
        if (!ensured.IsSuccess)
        {
            return $"ipset {_options.SetName}: {ensured}";
        }

        for (int i = 0; i < _options.QueueCount; i++)
        {
            var started = QueueWorker.TryStart((ushort)(_options.FirstQueue + i), Balancer, _hairpin, Metrics, _options, _loggerFactory.CreateLogger<QueueWorker>(), _tableReady, out var worker);
            if (worker is null)
            {
                return $"queue {_options.FirstQueue + i}: {started}";
            }

            _workers.Add(worker);
        }

        var routed = VipRangeRoute.TryOpen(_options.VipRange, _logger, out _route);
        if (routed.IsSuccess)
        {
            _route!.Reconcile();
        }
        else
        {
            LogReconcileFailed(_logger, routed.ToString());
        }

        Metrics.KernelQueueStats = () => NfqueueProcStats.Read(_options.FirstQueue, _options.QueueCount);

        var monitored = ConntrackHealthMonitor.TryStart(Health, _logger, Metrics, out _monitor);
        if (!monitored.IsSuccess)
        {
            // Balancing still works without health; say so rather than refuse to run.
            LogNoHealth(_logger, monitored.ToString());
        }

        await RefreshLocalSubnetsAsync(cancellationToken).ConfigureAwait(false);

        // Rules last: a SYN is only queued once a reader is bound, so the start never drops connections.
        var installed = await _iptables.InstallAsync(cancellationToken).ConfigureAwait(false);
        if (!installed.IsSuccess)
        {
            return $"iptables: {installed}";
        }

        _reconcileLoop = Task.Run(() => ReconcileLoopAsync(_stopping.Token), CancellationToken.None);
        LogStarted(_logger, _options.FirstQueue, _options.QueueCount, Balancer.Policy.Name, _options.SetName);
        return null;
    }

    public async ValueTask<IReadOnlyList<NamedVipAddress>> ApplyAsync(ClusterState state, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        var table = _builder.Build(state);
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            LogNewInvalidLabels(table.InvalidLabels);
            Balancer.Apply(table);
            return ProgramAndPublish(table, started, null);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// What a full apply and a delta apply share once the balancer holds the new table: open the queues, program
    /// the kernel set and the range route, and say which named VIPs may be published. For a delta the set is
    /// touched only when a VIP appeared or went. Runs under the gate.
    /// </summary>
    private ImmutableArray<NamedVipAddress> ProgramAndPublish(VipTable table, long started, VipTableDelta? delta)
    {
        // The workers start reading their (already bound) queues only now: a SYN queued during a restart
        // meets this table, not an empty one that would refuse it.
        _tableReady.Set();
        if (delta is not null)
        {
            if (_set is null)
            {
                return [];
            }

            if (delta.ChangedVips is { } changed && !_needsRebuild && !LiveSetChanged(delta.Previous.Vips, table.Vips, changed))
            {
                // A backend that moved off loopback can change the range route's source even with the set unchanged.
                _route?.Update(table);
                return table.NamedVips;
            }
        }

        var desired = _lingering.Desired(table.Vips.Select(v => v.Vip));
        _desired = desired;
        if (_set is null)
        {
            return [];
        }

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
        int backends = 0;
        foreach (var vip in table.Vips)
        {
            backends += vip.Backends.Length;
        }

        double buildMs = System.Diagnostics.Stopwatch.GetElapsedTime(started, kernelStarted).TotalMilliseconds;
        double kernelMs = System.Diagnostics.Stopwatch.GetElapsedTime(kernelStarted).TotalMilliseconds;
        LogApplied(_logger, table.Vips.Length, backends, table.NamedVips.Length, table.InvalidLabels.Length, buildMs, kernelMs);
        return table.NamedVips;
    }

    public async ValueTask DisposeAsync()
    {
        // The host's service container may dispose the programmer it was handed, and its owner does too.
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_reconcileLoop is not null)
        {
            await _reconcileLoop.ConfigureAwait(false);
        }

        // Rules first: with the jumps gone no SYN waits on a queue nobody reads, and the set is no longer in use.
        var failures = await _iptables.RemoveAsync(CancellationToken.None).ConfigureAwait(false);
        foreach (var failure in failures)
        {
            LogCleanupFailed(_logger, failure.ToString());
        }

        foreach (var worker in _workers)
        {
            worker.Dispose();
        }

        if (_route is not null)
        {
            var unrouted = _route.Remove();
            if (!unrouted.IsSuccess)
            {
                LogCleanupFailed(_logger, unrouted.ToString());
            }

            _route.Dispose();
        }

        _monitor?.Dispose();
        if (_set is not null)
        {
            var destroyed = _set.Destroy();
            if (!destroyed.IsSuccess)
            {
                LogCleanupFailed(_logger, destroyed.ToString());
            }

            _set.Dispose();
        }

        _stopping.Dispose();
        _gate.Dispose();
        _tableReady.Dispose();
    }

    private static ImmutableArray<NamedVipAddress> ReachableNamed(VipTable table, IReadOnlySet<IpPort> programmed)
    {
        var byName = table.Vips.Where(v => v.Name is not null).GroupBy(v => v.Name!);
        var reachable = byName.Where(g => g.All(v => programmed.Contains(v.Vip))).Select(g => g.Key).ToHashSet();
        return [.. table.NamedVips.Where(n => reachable.Contains($"{n.Label}.{n.Framework}"))];
    }

    private void LogNewInvalidLabels(ImmutableArray<InvalidVipLabel> invalid)
    {
        var now = new HashSet<(string, string, string)>();
        foreach (var label in invalid)
        {
            var key = (label.TaskId, label.Key, label.Value);
            now.Add(key);
            if (!_loggedInvalid.Contains(key))
            {
                LogInvalidLabel(_logger, label.TaskId, label.Key, label.Value, label.Reason);
            }
        }

        _loggedInvalid = now;
    }

    [LoggerMessage(EventId = 4001, Level = LogLevel.Information, Message = "L4 balancer running: queues {FirstQueue}+{Count}, policy {Policy}, ipset {Set}")]
    private static partial void LogStarted(ILogger logger, int firstQueue, int count, string policy, string set);

    [LoggerMessage(EventId = 4002, Level = LogLevel.Information, Message = "VIP table applied: {Vips} VIPs, {Backends} backends, {Named} named, {Invalid} invalid labels; table built in {BuildMs:0.0} ms, kernel set in {KernelMs:0.0} ms")]
    private static partial void LogApplied(ILogger logger, int vips, int backends, int named, int invalid, double buildMs, double kernelMs);

    [LoggerMessage(EventId = 4003, Level = LogLevel.Warning, Message = "VIP label skipped: task {TaskId} {Key}={Value}: {Reason}")]
    private static partial void LogInvalidLabel(ILogger logger, string taskId, string key, string value, string reason);

    [LoggerMessage(EventId = 4004, Level = LogLevel.Error, Message = "Programming the VIP ipset failed: {Result}; new VIPs stay unpublished until it works")]
    private static partial void LogSetFailed(ILogger logger, string result);

    [LoggerMessage(EventId = 4005, Level = LogLevel.Warning, Message = "Reconcile failed: {Result}")]
    private static partial void LogReconcileFailed(ILogger logger, string result);

    [LoggerMessage(EventId = 4006, Level = LogLevel.Warning, Message = "Cleanup on exit failed: {Result}")]
    private static partial void LogCleanupFailed(ILogger logger, string result);

    [LoggerMessage(EventId = 4007, Level = LogLevel.Warning, Message = "No conntrack events ({Result}): backends will not be benched by passive health")]
    private static partial void LogNoHealth(ILogger logger, string result);
}
