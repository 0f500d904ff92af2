using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Minuet.ControlPlane.Api;
using Minuet.ControlPlane.Coordination;
using Minuet.ControlPlane.Master.Ha;
using Minuet.ControlPlane.Storage;

namespace Minuet.ControlPlane.Master;

/// <summary>
/// Runs a master on Kestrel: the agent protocol, the scheduler API, <c>/master/state</c> and the endpoint stream,
/// plus the periodic tick (agent loss, update retries, allocation). Used by <c>minuet master</c> and by tests.
/// </summary>
internal sealed class MasterHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stop = new();
    private readonly IMasterStore _store;
    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly MasterLeadership? _leadership;
    private readonly EtcdConnection? _etcd;
    private Task? _ticker;

    private MasterHost(WebApplication app, MasterCore master, IMasterStore store, HttpClient http, TimeProvider time, MasterLeadership? leadership, EtcdConnection? etcd)
    {
        _time = time;
        _app = app;
        Master = master;
        _store = store;
        _http = http;
        _leadership = leadership;
        _etcd = etcd;
    }

    public MasterCore Master { get; }

    /// <summary>The HA election (null for a single master on SQLite or in memory).</summary>
    public MasterLeadership? Leadership => _leadership;

    /// <summary>True when this master acts: always without HA, while elected with it.</summary>
    public bool IsLeader => _leadership?.IsLeader ?? true;

    /// <summary>The bound address (useful with port 0).</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    /// <summary>
    /// Builds a master listening on <paramref name="listen"/>. <paramref name="stateDir"/> null keeps state in memory
    /// (tests, benchmarks); otherwise SQLite in that directory.
    /// </summary>
    public static MasterHost Create(IPEndPoint listen, string? stateDir, MasterOptions options, ILoggerFactory? loggers = null, TimeProvider? time = null) =>
        CreateWithStore(listen, stateDir is null ? new InMemoryMasterStore() : SqliteMasterStore.Open(stateDir), options, loggers, time);

    /// <summary>
    /// Builds one master of an HA group on etcd (<c>--store etcd</c>): it stands by, campaigns for
    /// <c>/minuet/master/leader</c> with a lease of <paramref name="leaderTtl"/>, and leads with state read from etcd.
    /// </summary>
    public static MasterHost CreateHa(IPEndPoint listen, IReadOnlyList<Uri> etcdEndpoints, MasterOptions options, TimeSpan leaderTtl, ILoggerFactory? loggers = null, TimeProvider? time = null)
    {
        loggers ??= Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
        options = options with
        {
            MasterId = options.MasterId ?? MasterCore.NewMasterId((time ?? TimeProvider.System).GetUtcNow(), options.Port),
            StartStandby = true,
        };
        var etcd = EtcdConnection.Open(etcdEndpoints);
        var election = new LeaderElection(etcd, new LeaderElectionOptions
        {
            Key = LeaderElectionOptions.MasterKey,
            Value = MasterLeaderInfo.Of(options.MasterId, options).ToJson(),
            Ttl = leaderTtl,
            ProbeTarget = MasterLeaderInfo.ProbeTarget,
        }, loggers.CreateLogger("Minuet.Master.Election"));
        var store = new EtcdMasterStore(new EtcdKv(etcd, election));
        return CreateWithStore(listen, store, options, loggers, time, election, etcd);
    }

    /// <summary>Builds a master on a given store (tests inject faults); the host disposes it.</summary>
    public static MasterHost CreateWithStore(IPEndPoint listen, IMasterStore store, MasterOptions options, ILoggerFactory? loggers = null, TimeProvider? time = null) =>
        CreateWithStore(listen, store, options, loggers, time, election: null, etcd: null);

    private static MasterHost CreateWithStore(IPEndPoint listen, IMasterStore store, MasterOptions options, ILoggerFactory? loggers, TimeProvider? time, LeaderElection? election, EtcdConnection? etcd)
    {
        loggers ??= Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);

        // The caller owns SIGTERM/SIGINT (the verb stops the host); the console lifetime would swallow them.
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, Minuet.ControlPlane.Agent.Http.NoSignalLifetime>();
        builder.WebHost.UseKestrel(k => k.Listen(listen));
        var app = builder.Build();

        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        var dispatcher = new HttpAgentDispatcher(http, loggers.CreateLogger("Minuet.Master.Dispatch"));
        var master = new MasterCore(options, store, dispatcher, time, loggers.CreateLogger("Minuet.Master"));
        dispatcher.Master = master;

        // A fault no handler expected is still a JSON answer naming it, never an empty 500.
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context).ConfigureAwait(false);
            }
            catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
            {
                await HttpJson.WriteErrorAsync(context, new MasterError(500, "internal", $"{context.Request.Path}: {e.GetType().Name}: {e.Message}")).ConfigureAwait(false);
            }
        });
        var leadership = election is null ? null : new MasterLeadership(election, master, loggers.CreateLogger("Minuet.Master.Ha"));

        // Before every route: on a standby, nothing below runs except the read-only ones the gate lets through.
        LeaderGate.Map(app, master, leadership);
        AgentEndpoints.Map(app, master);
        SchedulerEndpoints.Map(app, master);
        Api.V1.V1SchedulerEndpoint.Map(app, master);
        StateEndpoints.Map(app, master);
        MasterHealthEndpoints.Map(app, master);
        var operatorEvents = new Api.Operator.OperatorEventHub();
        master.Observer = operatorEvents;
        Api.Operator.MasterOperatorApi.Map(app, master, operatorEvents);
        Api.Operator.MasterV0Endpoints.Map(app, master);
        return new MasterHost(app, master, store, http, time ?? TimeProvider.System, leadership, etcd);
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        var address = _app.Urls.FirstOrDefault();
        if (address is not null)
        {
            BaseAddress = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        }

        _ticker = TickAsync(_stop.Token);
        _leadership?.Start();
    }

    /// <summary>Clean stop (SIGTERM): an HA master resigns first, so a standby leads at once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_leadership is not null)
        {
            await _leadership.ResignAsync().ConfigureAwait(false);
        }

        await StopAsync().ConfigureAwait(false);
    }

    /// <summary>Stops as a crash would (tests): the lease is left to expire, no resign.</summary>
    internal async ValueTask DisposeWithoutResignAsync()
    {
        if (_leadership is not null)
        {
            await _leadership.AbandonAsync().ConfigureAwait(false);
        }

        await StopAsync().ConfigureAwait(false);
    }

    private async Task StopAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        if (_ticker is not null)
        {
            try
            {
                await _ticker.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping.
            }
        }

        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _http.Dispose();
        _store.Dispose();
        if (_leadership is not null)
        {
            await _leadership.DisposeAsync().ConfigureAwait(false);
        }

        _etcd?.Dispose();
        _stop.Dispose();
    }

    private async Task TickAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(Master.Options.AllocationInterval);
        while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false))
        {
            // The lease is judged before every pass: a master frozen past it (SIGSTOP) makes no offer on waking.
            if (IsLeader)
            {
                Master.Tick(_time.GetUtcNow());
            }
        }
    }
}
