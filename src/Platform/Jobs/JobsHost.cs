using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler.MasterLink;
using Minuet.Coordination;
using Minuet.Platform.Jobs.Engine;
using Minuet.Platform.Jobs.Http;
using Minuet.Platform.Jobs.Storage;

namespace Minuet.Platform.Jobs;

/// <summary>
/// The jobs service: a framework named <c>metronome</c> on the master (Mesos v1 scheduler API, through the
/// scheduler's <see cref="HttpMasterLink"/>), Metronome's <c>/v1/jobs</c> and Chronos's <c>/v1/scheduler</c> on Kestrel,
/// a tick for schedules and deadlines, and a pump sending the core's master calls in order.
/// </summary>
internal sealed class JobsHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly IMasterLink _link;
    private readonly FrameworkDriver _driver;
    private readonly IJobStore _store;
    private readonly HttpClient _http;
    private readonly LeaderLocator _masters;
    private readonly ILogger _log;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private bool _stopped;

    private JobsHost(WebApplication app, JobsCore core, IMasterLink link, IJobStore store, HttpClient http, LeaderLocator masters, ILogger log)
    {
        _app = app;
        Core = core;
        _link = link;
        _driver = new FrameworkDriver(core, link, (call, message) => Log.MasterRefused(log, call, message));
        _store = store;
        _http = http;
        _masters = masters;
        _log = log;
    }

    public JobsCore Core { get; }

    /// <summary>Where the APIs answer once started (the Metronome address first): port 0 in the options is resolved here.</summary>
    public IReadOnlyList<Uri> Addresses { get; private set; } = [];

    public static JobsHost Create(JobsHostOptions options, ILoggerFactory? loggers = null, TimeProvider? time = null)
    {
        loggers ??= Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
        time ??= TimeProvider.System;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, NoSignalLifetime>();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(options.Listen);
            if (options.ChronosListen is { } chronos && !chronos.Equals(options.Listen))
            {
                k.Listen(chronos);
            }
        });
        var app = builder.Build();
        IJobStore store = options.Store ?? (options.StateDir is null ? new InMemoryJobStore() : SqliteJobStore.Open(options.StateDir));
        var log = loggers.CreateLogger("Minuet.Jobs");
        var core = new JobsCore(store, options.Jobs, time, log);

        // Redirects are the link's to follow (a standby master's 307 names the leader), not the client's.
        var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
        var masters = new LeaderLocator(options.Masters);
        var link = new HttpMasterLink(http, masters);
        MetronomeApi.Map(app, core);
        ChronosApi.Map(app, core, time);
        return new JobsHost(app, core, link, store, http, masters, log);
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        Addresses = _app.Urls.Select(u => new Uri(u + "/")).ToList();
        var token = _stop.Token;
        _loops.Add(Task.Run(() => _link.RunAsync(SubscribeRequest, _driver.OnEventAsync, Core.OnDisconnected, token), token));
        _loops.Add(Task.Run(() => _driver.PumpAsync(token), token));
        _loops.Add(Task.Run(() => TickAsync(token), token));
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        await _stop.CancelAsync().ConfigureAwait(false);
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
        _http.Dispose();
        _masters.Dispose();
        _store.Dispose();
        _stop.Dispose();
    }

    private SubscribeRequest SubscribeRequest() => new()
    {
        FrameworkId = Core.FrameworkId,
        Name = Core.Options.FrameworkName,
        Role = Core.Options.Role,
        Hostname = Core.Options.Hostname,
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
}
