using System.Security.Cryptography;
using Microsoft.Extensions.Logging;
using Minuet.DataPlane.Dns.Records;
using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.Sources;

/// <summary>
/// Turns each state document into a published snapshot: parse, optionally program the L4 balancer
/// (<see cref="IVipProgrammer"/>), build the DNS records, swap the snapshot in. A bad document or a failing stage
/// keeps the last good snapshot; an unchanged document only refreshes the staleness clock.
/// Documents arrive one at a time (each source runs one loop), so there is no concurrency to guard here.
/// </summary>
public sealed partial class SnapshotPipeline
{
    private readonly SnapshotStore _store;
    private readonly DnsRecordBuilder _builder;
    private readonly IVipProgrammer? _vips;
    private readonly SourceHealth _health;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly Lock _gate = new();
    // A digest of the last applied document, not the document: a 10,000-task state is ~5 MB to keep around.
    private byte[]? _lastDigest;
    private long _version;
    private StateParseError? _lastLoggedError;
    private long _lastLoggedAt;

    private static readonly TimeSpan RepeatLogInterval = TimeSpan.FromSeconds(30);

    public SnapshotPipeline(
        SnapshotStore store,
        DnsRecordBuilder builder,
        IVipProgrammer? vips,
        SourceHealth health,
        ILogger<SnapshotPipeline> logger,
        TimeProvider? time = null)
    {
        _store = store;
        _builder = builder;
        _vips = vips;
        _health = health;
        _logger = logger;
        _time = time ?? TimeProvider.System;
    }

    public SourceHealth Health => _health;

    /// <summary>Where snapshots are published.</summary>
    public SnapshotStore Store => _store;

    /// <summary>Handles one document read from <paramref name="origin"/>; true when the state was good.</summary>
    public async ValueTask<bool> ApplyDocumentAsync(byte[] document, string origin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(document);
        byte[] digest = SHA256.HashData(document);
        lock (_gate)
        {
            if (_lastDigest is not null && _store.Current is not null && digest.AsSpan().SequenceEqual(_lastDigest))
            {
                _health.ReportGood();
                return true;
            }
        }

        var parsed = MesosStateParser.Parse(document, Interlocked.Increment(ref _version));
        if (!parsed.IsSuccess)
        {
            ReportError("parse", origin, parsed.Error);
            return false;
        }

        if (await ApplyStateAsync(parsed.State, origin, cancellationToken).ConfigureAwait(false))
        {
            lock (_gate)
            {
                _lastDigest = digest;
            }

            return true;
        }

        return false;
    }

    /// <summary>Publishes a snapshot for an already parsed state (push sources, tests).</summary>
    public ValueTask<bool> ApplyStateAsync(ClusterState state, string origin, CancellationToken cancellationToken) =>
        ApplyStateAsync(state, origin, delta: null, cancellationToken);

    /// <summary>
    /// Publishes a snapshot for <paramref name="state"/>; with a <paramref name="delta"/> from the previous state this
    /// pipeline applied, only the records and VIPs the changed tasks touch are rebuilt (see <c>SnapshotPipeline.Delta.cs</c>).
    /// </summary>
    public async ValueTask<bool> ApplyStateAsync(ClusterState state, string origin, StateDelta? delta, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(state);
        long started = _time.GetTimestamp();
        IReadOnlyList<NamedVipAddress> namedVips = _store.Current?.NamedVips ?? [];
        if (_vips is not null)
        {
            try
            {
                namedVips = delta is null
                    ? await _vips.ApplyAsync(state, cancellationToken).ConfigureAwait(false)
                    : await _vips.ApplyDeltaAsync(state, delta, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                // The balancer failed: DNS still follows the new state, but VIP names stay as they were, so a
                // name is only ever published for a path that was programmed.
                ReportError("vip", origin, new StateParseError("vips", ex.Message));
            }
        }

        DnsRecordSet records;
        RecordDelta? recordDelta;
        try
        {
            uint serial = (uint)_time.GetUtcNow().ToUnixTimeSeconds();
            records = BuildRecords(state, namedVips, serial, delta, out recordDelta);
        }
        catch (Exception ex) when (ex is ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            ReportError("build", origin, new StateParseError("$", ex.Message));
            return false;
        }

        _store.Publish(new DataPlaneSnapshot(state, records, namedVips, _time.GetUtcNow()) { RecordDelta = recordDelta });
        lock (_gate)
        {
            _lastLoggedError = null; // after a recovery, the next failure is news again
        }

        var elapsed = _time.GetElapsedTime(started);
        _health.ReportGood();
        _health.Builds.Increment();
        _health.BuildSeconds.Observe(elapsed.TotalSeconds);
        if (_logger.IsEnabled(LogLevel.Information))
        {
            int tasks = 0;
            foreach (var framework in state.Frameworks)
            {
                tasks += framework.Tasks.Count;
            }

            LogPublished(_logger, origin, tasks, records.Names.Count, elapsed.TotalMilliseconds);
        }
        return true;
    }

    /// <summary>Records a failure to read the source at all (unreachable URL, unreadable file).</summary>
    public void ReportFetchError(string origin, string reason) =>
        ReportError("fetch", origin, new StateParseError("$", reason));

    /// <summary>Records a rejected stream line (the push source resyncs after it).</summary>
    public void ReportParseError(string origin, StateParseError error) => ReportError("parse", origin, error);

    private void ReportError(string kind, string origin, StateParseError error)
    {
        _health.ReportError(kind, error);

        // An unreachable master polled every second would otherwise log every second (Mesos-DNS #297): say each
        // new error at once, repeat an unchanged one at most every 30 s. The counters still count every failure.
        long now = _time.GetTimestamp();
        lock (_gate)
        {
            if (error == _lastLoggedError && _time.GetElapsedTime(_lastLoggedAt, now) < RepeatLogInterval)
            {
                return;
            }

            _lastLoggedError = error;
            _lastLoggedAt = now;
        }

        LogKeptLastGood(_logger, kind, origin, error.Path, error.Reason, _store.Current is not null);
    }

    [LoggerMessage(EventId = 3201, Level = LogLevel.Information,
        Message = "Published snapshot from {Origin}: {Tasks} tasks, {Names} DNS names, built in {Milliseconds:F1} ms")]
    private static partial void LogPublished(ILogger logger, string origin, int tasks, int names, double milliseconds);

    [LoggerMessage(EventId = 3202, Level = LogLevel.Warning,
        Message = "State source {Kind} error from {Origin} at {Path}: {Reason} (keeping last good snapshot: {HaveSnapshot})")]
    private static partial void LogKeptLastGood(ILogger logger, string kind, string origin, string path, string reason, bool haveSnapshot);
}
