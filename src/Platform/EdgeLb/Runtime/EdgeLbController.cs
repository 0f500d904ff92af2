using System.Diagnostics;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Minuet.Platform.EdgeLb.Config;

namespace Minuet.Platform.EdgeLb.Runtime;

/// <summary>
/// The edge balancer's loop: every wake-up (an event, a signal, the periodic resync) regenerates the whole
/// configuration from <c>/v2/apps?embed=apps.tasks</c>; wake-ups that arrive while one runs collapse into one more, so a
/// burst of events costs one regeneration. A change only in servers goes through the runtime API; anything else is a
/// checked reload, and a failed check or reload leaves the last good configuration serving.
/// </summary>
internal sealed partial class EdgeLbController(EdgeLbOptions options, HttpClient http, ILogger log)
{
    private readonly Channel<bool> _wake = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private readonly ServiceBuilder _builder = new(options.ResolveHost, options.StrictMode);
    private readonly ConfigFiles _files = new(options.Generator.HaproxyDir);
    private readonly RuntimeApi _runtime = new(ConfigHead.StatsSocket(options.Generator.HaproxyDir));
    private HashSet<Rejection> _loggedRejections = [];
    private volatile GeneratedConfig? _running;
    private volatile bool _reloadAsIs;
    private bool _reloadRequested;
    private readonly HashSet<string> _broken = new(StringComparer.Ordinal);
    private HaproxyProcess? _haproxy;

    public EdgeLbMetrics Metrics { get; } = new();

    /// <summary>The configuration HAProxy is serving (<c>/_haproxy_getconfig</c>).</summary>
    public string RunningConfig => _running?.Text ?? "";

    public int? MasterPid => _haproxy?.MasterPid;

    /// <summary>Regenerate soon (an event, <c>/_mlb_signal/hup</c>); coalesces with any pending request.</summary>
    public void RequestSync() => _wake.Writer.TryWrite(true);

    /// <summary>Reload HAProxy even if nothing changed (<c>/_mlb_signal/usr1</c>).</summary>
    public void RequestReload()
    {
        _reloadAsIs = true;
        RequestSync();
    }

    /// <summary>Starts HAProxy and serves until cancelled; returns a problem when HAProxy cannot start or dies.</summary>
    public async Task<string?> RunAsync(Action? started, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(options.Generator.HaproxyDir);
        var first = await GenerateAsync(cancellationToken).ConfigureAwait(false) ?? ConfigRenderer.Render([], options.Generator);
        first = await CheckedAsync(first, cancellationToken).ConfigureAwait(false);
        if (first is null)
        {
            return "even a configuration without apps fails haproxy -c (see the log)";
        }

        _files.Install();
        var (haproxy, error) = await HaproxyProcess.StartAsync(_files.Live, log, cancellationToken).ConfigureAwait(false);
        if (haproxy is null)
        {
            return error;
        }

        _haproxy = haproxy;
        _running = first;
        Metrics.Reload(true);
        started?.Invoke();
        try
        {
            using var resync = new PeriodicTimer(options.ResyncInterval);
            var tick = resync.WaitForNextTickAsync(cancellationToken).AsTask();
            while (!cancellationToken.IsCancellationRequested)
            {
                var wake = _wake.Reader.WaitToReadAsync(cancellationToken).AsTask();
                var done = await Task.WhenAny(wake, tick).ConfigureAwait(false);
                if (done == tick)
                {
                    await tick.ConfigureAwait(false);
                    tick = resync.WaitForNextTickAsync(cancellationToken).AsTask();
                }

                _wake.Reader.TryRead(out _);
                if (haproxy.HasExited)
                {
                    EdgeLbLog.HaproxyExited(log, -1);
                    return "the HAProxy master exited";
                }

                await SyncAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // stopping
        }
        finally
        {
            await haproxy.DisposeAsync().ConfigureAwait(false);
        }

        return null;
    }

    private async Task SyncAsync(CancellationToken cancellationToken)
    {
        var generated = await GenerateAsync(cancellationToken).ConfigureAwait(false);
        var running = _running!;
        if (generated is null)
        {
            return;
        }

        var next = WithoutKnownBroken(generated);

        if (_reloadAsIs)
        {
            _reloadAsIs = false;
            _reloadRequested = true;
            await ReloadAsync(next, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (string.Equals(next.Text, running.Text, StringComparison.Ordinal))
        {
            return;
        }

        if (ServerDelta.Plan(running, next) is { } commands && await ApplyRuntimeAsync(commands, cancellationToken).ConfigureAwait(false))
        {
            // The file must match what HAProxy now runs, so the next reload starts from the same servers.
            if (await _files.CheckAsync(next.Text, cancellationToken).ConfigureAwait(false) is null)
            {
                _files.Install();
            }

            _running = next;
            Metrics.RuntimeUpdate(commands.Count);
            EdgeLbLog.RuntimeApplied(log, commands.Count);
            return;
        }

        await ReloadAsync(next, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Reads Marathon and renders; null (after logging) when Marathon cannot be read.</summary>
    private async Task<GeneratedConfig?> GenerateAsync(CancellationToken cancellationToken)
    {
        string body;
        try
        {
            using var response = await http.GetAsync(new Uri(options.Marathon, "v2/apps?embed=apps.tasks"), cancellationToken).ConfigureAwait(false);
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                throw new HttpRequestException($"HTTP {(int)response.StatusCode}");
            }
        }
        catch (Exception e) when (e is HttpRequestException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            Metrics.Sync(false);
            EdgeLbLog.MarathonUnreadable(log, options.Marathon, e.Message);
            return null;
        }

        var clock = Stopwatch.StartNew();
        var (apps, problems) = MarathonAppsReader.Parse(body);
        var (services, rejections) = _builder.Build(apps);
        rejections.AddRange(problems);
        var config = ConfigRenderer.Render(services, options.Generator);
        Metrics.Generated(config, rejections, clock.Elapsed);
        Metrics.Sync(true);
        var now = rejections.ToHashSet();
        foreach (var r in now.Where(r => !_loggedRejections.Contains(r)))
        {
            EdgeLbLog.AppRejected(log, r.ToString());
        }

        _loggedRejections = now;
        return config;
    }
}
