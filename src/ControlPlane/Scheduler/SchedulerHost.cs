using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler.Health;
using Minuet.ControlPlane.Scheduler.Http;
using Minuet.ControlPlane.Scheduler.MasterLink;
using Minuet.ControlPlane.Scheduler.Storage;
using Minuet.Coordination;

namespace Minuet.ControlPlane.Scheduler;

/// <summary>
/// Runs the Marathon-style scheduler: registers as framework <c>marathon</c> (role <c>*</c>) with the master,
/// serves <c>/v2</c> on Kestrel, sends its decisions to the master from one pump and re-evaluates on a timer.
/// Used by <c>minuet scheduler</c>, <c>minuet up</c> and tests.
/// </summary>
internal sealed class SchedulerHost : IAsyncDisposable
{
    private static readonly LeaderLocatorOptions SchedulerLocatorOptions = new() { MaxBackoff = TimeSpan.FromMilliseconds(250) };

    private readonly WebApplication _app;
    private readonly IMasterLink _link;
    private readonly FrameworkDriver _driver;
    private readonly ISchedulerStore _store;
    private readonly HttpClient? _http;
    private readonly LeaderLocator? _masters;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskProber _prober = new();
    private readonly List<Task> _loops = [];
    private bool _stopped;

    private SchedulerHost(WebApplication app, SchedulerCore core, IMasterLink link, ISchedulerStore store, HttpClient? http, LeaderLocator? masters, ILogger log)
    {
        _masters = masters;
        _app = app;
        Core = core;
        _link = link;
        _driver = new FrameworkDriver(core, link, (call, message) => Log.MasterRefused(log, call, message));
        _store = store;
        _http = http;
        _log = log;
    }

    public SchedulerCore Core { get; }

    /// <summary>The Marathon API's bound address (useful with port 0), e.g. <c>http://127.0.0.1:8080/</c>.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1:8080/");

    public static SchedulerHost Create(SchedulerHostOptions options, ILoggerFactory? loggers = null, TimeProvider? time = null)
    {
        if (options.Master is null && options.MasterUrl is null)
        {
            throw new ArgumentException("either Master (in process) or MasterUrl is required", nameof(options));
        }

        loggers ??= Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);

        // The generic host's ConsoleLifetime would take SIGTERM/SIGINT for itself; the CLI verb owns them.
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, Agent.Http.NoSignalLifetime>();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(options.MarathonListen);

            // Kestrel's 8 KiB request line answers 414 before any route runs; with room for long ids a request
            // naming an id that cannot exist gets Marathon's 404 (or 422) with a message instead.
            k.Limits.MaxRequestLineSize = 64 * 1024;
            k.Limits.MaxRequestHeadersTotalSize = 96 * 1024;
        });
        var app = builder.Build();

        ISchedulerStore store = options.Store ?? (options.StateDir is null ? new InMemorySchedulerStore() : SqliteSchedulerStore.Open(options.StateDir));
        var log = loggers.CreateLogger("Minuet.Scheduler");
        var core = new SchedulerCore(options.Scheduler, store, time, log);
        HttpClient? http = null;
        LeaderLocator? masters = null;
        IMasterLink link;
        if (options.Master is { } master)
        {
            link = new InProcessMasterLink(master);
        }
        else
        {
            // Redirects are the link's to follow (a standby master's 307 names the leader), not the client's.
            http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
            // One scheduler per cluster looks for a new leader four times a second (three small GETs a pass): its
            // first offer after a master fail-over waits on this search, an agent's default second would add to it.
            masters = new LeaderLocator(options.MasterUrls.Count > 0 ? options.MasterUrls : [options.MasterUrl!], SchedulerLocatorOptions);
            link = new HttpMasterLink(http, masters);
        }

        var host = new SchedulerHost(app, core, link, store, http, masters, log);
        var masterText = options.Master is { } m ? m.Options.LeaderPid : options.MasterUrl!.ToString();
        MarathonApi.Map(app, new MarathonApiContext(core, () => $"{host.BaseAddress.Host}:{host.BaseAddress.Port}", masterText));
        if (options.Abdicate is { } abdicate)
        {
            // Marathon's DELETE /v2/leader: this leader steps down and the election picks again.
            // Abdicating stops this very host, so only once the answer is out.
            app.MapDelete("/v2/leader", context =>
            {
                context.Response.OnCompleted(() =>
                {
                    abdicate();
                    return Task.CompletedTask;
                });
                return HttpReplies.MessageAsync(context, 200, "Leadership abdicated");
            });
        }

        return host;
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        if (_app.Urls.FirstOrDefault() is { } address)
        {
            BaseAddress = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        }

        var token = _stop.Token;
        _loops.Add(Task.Run(() => _link.RunAsync(SubscribeRequest, _driver.OnEventAsync, Core.OnDisconnected, token), token));
        _loops.Add(Task.Run(() => _driver.PumpAsync(token), token));
        _loops.Add(Task.Run(() => TickAsync(token), token));
        _loops.Add(Task.Run(() => ProbeAsync(token), token));
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _stop.CancelAsync().ConfigureAwait(false);

        // Event streams never end by themselves; end them so Kestrel's graceful stop does not wait for them.
        Core.Events.CompleteAll();
        foreach (var loop in _loops)
        {
            try
            {
                await loop.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }

        await _app.StopAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _http?.Dispose();
        _masters?.Dispose();
        _prober.Dispose();
        _store.Dispose();
        _stop.Dispose();
    }

    private SubscribeRequest SubscribeRequest() => new()
    {
        FrameworkId = Core.FrameworkId,
        Name = Core.Options.FrameworkName,
        Role = Core.Options.Role,
        Hostname = Core.Options.Hostname,
        WebuiUrl = BaseAddress.ToString(),
        FailoverTimeout = 604800,
        Checkpoint = true,
    };

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Core.Options.TickInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            Core.Tick();
        }
    }

    /// <summary>Starts the probes that are due; each reports back on its own, so a slow one delays no other.</summary>
    private async Task ProbeAsync(CancellationToken cancellationToken)
    {
        var running = new List<Task>();
        using var timer = new PeriodicTimer(Core.Options.ProbeInterval);
        try
        {
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
            {
                running.RemoveAll(t => t.IsCompleted);
                foreach (var request in Core.DueProbes())
                {
                    running.Add(ProbeOneAsync(request, cancellationToken));
                }
            }
        }
        finally
        {
            await Task.WhenAll(running).ConfigureAwait(false);
        }
    }

    private async Task ProbeOneAsync(ProbeRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var outcome = await _prober.RunAsync(request, cancellationToken).ConfigureAwait(false);
            Core.OnProbeResult(request, outcome);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
