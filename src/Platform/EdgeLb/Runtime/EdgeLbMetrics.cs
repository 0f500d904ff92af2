using System.Globalization;
using System.Text;
using Minuet.Platform.EdgeLb.Config;

namespace Minuet.Platform.EdgeLb.Runtime;

/// <summary>The controller's counters and gauges, written as Prometheus text for <c>:9090/metrics</c>.</summary>
internal sealed class EdgeLbMetrics
{
    private long _syncs;
    private long _syncFailures;
    private long _reloads;
    private long _reloadFailures;
    private long _checkFailures;
    private long _runtimeUpdates;
    private long _runtimeCommands;
    private long _rejectionsTotal;
    private long _streamReconnects;
    private long _sessionsCut;
    private volatile IReadOnlyList<Rejection> _rejections = [];
    private volatile int _services;
    private volatile int _servers;
    private long _lastGenerationMicros;

    public void Sync(bool ok) => Interlocked.Increment(ref ok ? ref _syncs : ref _syncFailures);

    public void Reload(bool ok) => Interlocked.Increment(ref ok ? ref _reloads : ref _reloadFailures);

    public void CheckFailed() => Interlocked.Increment(ref _checkFailures);

    public void RuntimeUpdate(int commands)
    {
        Interlocked.Increment(ref _runtimeUpdates);
        Interlocked.Add(ref _runtimeCommands, commands);
    }

    public void SessionsCut() => Interlocked.Increment(ref _sessionsCut);

    public void StreamReconnect() => Interlocked.Increment(ref _streamReconnects);

    public void Generated(GeneratedConfig config, IReadOnlyList<Rejection> rejections, TimeSpan took)
    {
        _services = config.Backends.Count;
        _servers = config.Backends.Values.Sum(b => b.Servers.Count);
        _rejections = rejections;
        Interlocked.Add(ref _rejectionsTotal, rejections.Count);
        Interlocked.Exchange(ref _lastGenerationMicros, (long)took.TotalMicroseconds);
    }

    public IReadOnlyList<Rejection> Rejections => _rejections;

    public string Render()
    {
        var s = new StringBuilder();
        Counter(s, "minuet_edgelb_syncs_total", "Regenerations from Marathon's state.", Interlocked.Read(ref _syncs));
        Counter(s, "minuet_edgelb_sync_failures_total", "Regenerations that could not read Marathon.", Interlocked.Read(ref _syncFailures));
        Counter(s, "minuet_edgelb_reloads_total", "Successful HAProxy reloads.", Interlocked.Read(ref _reloads));
        Counter(s, "minuet_edgelb_reload_failures_total", "HAProxy reloads that failed (the last good configuration kept serving).", Interlocked.Read(ref _reloadFailures));
        Counter(s, "minuet_edgelb_config_check_failures_total", "Candidate configurations haproxy -c rejected.", Interlocked.Read(ref _checkFailures));
        Counter(s, "minuet_edgelb_runtime_updates_total", "Changes applied through HAProxy's runtime API without a reload.", Interlocked.Read(ref _runtimeUpdates));
        Counter(s, "minuet_edgelb_runtime_commands_total", "Runtime API commands sent.", Interlocked.Read(ref _runtimeCommands));
        Counter(s, "minuet_edgelb_app_rejections_total", "Apps left out for invalid labels, summed over regenerations.", Interlocked.Read(ref _rejectionsTotal));
        Counter(s, "minuet_edgelb_drain_sessions_cut_total", "Removed servers whose sessions outlived the drain wait and were cut.", Interlocked.Read(ref _sessionsCut));
        Counter(s, "minuet_edgelb_event_stream_reconnects_total", "Reconnections to Marathon's /v2/events.", Interlocked.Read(ref _streamReconnects));
        Gauge(s, "minuet_edgelb_backends", "Backends in the running configuration.", _services);
        Gauge(s, "minuet_edgelb_servers", "Servers in the running configuration.", _servers);
        Gauge(s, "minuet_edgelb_generation_seconds", "Time the last configuration took to generate.", Interlocked.Read(ref _lastGenerationMicros) / 1e6);
        var rejections = _rejections;
        Gauge(s, "minuet_edgelb_rejected_apps", "Apps left out of the current configuration.", rejections.Select(r => r.AppId).Distinct().Count());
        s.Append("# HELP minuet_edgelb_app_rejected An app left out, with the label and the reason.\n# TYPE minuet_edgelb_app_rejected gauge\n");
        foreach (var r in rejections)
        {
            s.Append(CultureInfo.InvariantCulture, $"minuet_edgelb_app_rejected{{app=\"{Escape(r.AppId)}\",field=\"{Escape(r.Field)}\",reason=\"{Escape(r.Reason)}\"}} 1\n");
        }

        return s.ToString();
    }

    private static void Counter(StringBuilder s, string name, string help, long value) =>
        s.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} counter\n{name} {value}\n");

    private static void Gauge(StringBuilder s, string name, string help, double value) =>
        s.Append(CultureInfo.InvariantCulture, $"# HELP {name} {help}\n# TYPE {name} gauge\n{name} {value}\n");

    private static string Escape(string v) => v.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal).Replace("\n", "\\n", StringComparison.Ordinal);
}
