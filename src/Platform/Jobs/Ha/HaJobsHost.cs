using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Minuet.ControlPlane.Coordination;
using Minuet.ControlPlane.Scheduler.Ha;
using Minuet.Platform.Jobs.Http;
using Minuet.Platform.Jobs.Storage;

namespace Minuet.Platform.Jobs.Ha;

/// <summary>
/// One jobs service of an HA group on etcd (<c>minuet jobs --store etcd</c>), the scheduler's model
/// (<see cref="HaSchedulerHost"/>): a standby holds no state and proxies both APIs (Metronome's and Chronos's, on both
/// its ports) to the leader; once elected on <c>/minuet/metronome/leader</c>, it replaces the proxy on the same ports
/// with a full <see cref="JobsHost"/> whose core loads <c>/minuet/jobs/state/</c> at that moment and reconciles every
/// task that may run with the master before it launches anything. Deposed, the leader's loops stop at once (its
/// fenced writes fail, so no held master call is released) and the proxy comes back. Every term has a fresh core.
/// </summary>
internal sealed class HaJobsHost : ElectedHost<JobsHost>
{
    public const string LeaderKey = "/minuet/metronome/leader";

    private readonly JobsHostOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;
    private readonly TimeProvider? _time;
    private IPEndPoint _listen;
    private IPEndPoint? _chronos;

    private HaJobsHost(JobsHostOptions options, EtcdConnection etcd, TimeSpan ttl, ILoggerFactory loggers, TimeProvider? time)
        : base(etcd, ttl, LeaderKey, "metronome", loggers.CreateLogger("Minuet.Jobs.Election"))
    {
        _options = options;
        _loggers = loggers;
        _log = loggers.CreateLogger("Minuet.Jobs.Ha");
        _time = time;
        _listen = options.Listen;
        _chronos = options.ChronosListen is { } c && !c.Equals(options.Listen) ? c : null;
    }

    /// <summary>The Metronome API's bound address, the same in both roles (it serves the Chronos API too).</summary>
    public override Uri BaseAddress => new($"http://{(_listen.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : _listen.Address)}:{_listen.Port}/");

    public static HaJobsHost Create(JobsHostOptions options, IReadOnlyList<Uri> etcdEndpoints, TimeSpan leaderTtl, ILoggerFactory? loggers = null, TimeProvider? time = null) =>
        new(options, EtcdConnection.Open(etcdEndpoints), leaderTtl, loggers ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, time);

    protected override async Task<JobsHost> StartLeaderAsync(EtcdKv store)
    {
        Log.Leading(_log, LeaderKey);
        var host = JobsHost.Create(_options with
        {
            Listen = _listen,
            ChronosListen = _chronos,
            StateDir = null,
            Store = new EtcdJobStore(store),
        }, _loggers, _time);
        await host.StartAsync().ConfigureAwait(false);
        return host;
    }

    protected override Task StopActingAsync(JobsHost leader) => leader.StopAsync();

    protected override void LogTransitionFailed(string role, string error) => Log.TransitionFailed(_log, role, error);

    protected override async Task<WebApplication> StartStandbyAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, NoSignalLifetime>();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(_listen);
            if (_chronos is { } chronos)
            {
                k.Listen(chronos);
            }
        });
        var app = builder.Build();
        app.MapGet("/ping", () => Results.Text("pong", "text/plain"));

        // The leader's Metronome address serves the Chronos API too, so both ports forward there.
        app.Map("/{**rest}", context => ForwardOrUnavailableAsync(context, (c, status, message) => Replies.MessageAsync(c, status, message), "X-Metronome-Leader"));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        FixPorts(app.Urls.ToList());
        return app;
    }

    /// <summary>Both roles serve on the same ports: the first bind fixes any port 0 (Kestrel lists addresses in bind order).</summary>
    private void FixPorts(List<string> urls)
    {
        static int Port(string url) => new Uri(url.Replace("[::]", "127.0.0.1", StringComparison.Ordinal).Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal)).Port;
        if (_listen.Port == 0 && urls.Count > 0)
        {
            _listen = new IPEndPoint(_listen.Address, Port(urls[0]));
        }

        if (_chronos is { Port: 0 } chronos && urls.Count > 1)
        {
            _chronos = new IPEndPoint(chronos.Address, Port(urls[1]));
        }
    }
}
