using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Minuet.ControlPlane.Coordination;
using Minuet.ControlPlane.Scheduler.Http;
using Minuet.ControlPlane.Scheduler.Storage;

namespace Minuet.ControlPlane.Scheduler.Ha;

/// <summary>
/// One scheduler of an HA group on etcd (<c>minuet scheduler --store etcd</c>), Marathon's model: a standby serves
/// only a proxy (every <c>/v2/*</c> goes to the leader; <c>/v2/leader</c> and <c>/v2/info</c> answer locally) and
/// holds no state; once elected on <c>/minuet/marathon/leader</c>, it replaces the proxy on the same port with a full
/// <see cref="SchedulerHost"/> whose core loads the store at that moment and reconciles with the master before it
/// kills or launches anything (<see cref="SchedulerCore.OnSubscribed"/>). Deposed, the leader's loops stop at once and
/// the proxy comes back. Every term has a fresh core, so nothing of a lost term acts again.
/// </summary>
internal sealed class HaSchedulerHost : ElectedHost<SchedulerHost>
{
    private readonly SchedulerHostOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider? _time;
    private IPEndPoint _listen;

    private HaSchedulerHost(SchedulerHostOptions options, EtcdConnection etcd, TimeSpan ttl, ILoggerFactory loggers, TimeProvider? time)
        : base(etcd, ttl, LeaderElectionOptions.SchedulerKey, "marathon", loggers.CreateLogger("Minuet.Scheduler.Election"))
    {
        _options = options;
        _loggers = loggers;
        _time = time;
        _listen = options.MarathonListen;
    }

    /// <summary>The Marathon API's bound address, the same in both roles.</summary>
    public override Uri BaseAddress => new($"http://{(_listen.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : _listen.Address)}:{_listen.Port}/");

    public static HaSchedulerHost Create(SchedulerHostOptions options, IReadOnlyList<Uri> etcdEndpoints, TimeSpan leaderTtl, ILoggerFactory? loggers = null, TimeProvider? time = null) =>
        new(options, EtcdConnection.Open(etcdEndpoints), leaderTtl, loggers ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, time);

    protected override async Task<SchedulerHost> StartLeaderAsync(EtcdKv store)
    {
        var host = SchedulerHost.Create(_options with
        {
            MarathonListen = _listen,
            Store = new EtcdSchedulerStore(store),
            Abdicate = Abdicate,
        }, _loggers, _time);
        await host.StartAsync().ConfigureAwait(false);
        return host;
    }

    protected override Task StopActingAsync(SchedulerHost leader) => leader.StopAsync();

    protected override void LogTransitionFailed(string role, string error) =>
        SchedulerHaLog.TransitionFailed(_loggers.CreateLogger("Minuet.Scheduler.Ha"), role, error);

    protected override async Task<WebApplication> StartStandbyAsync(CancellationToken cancellationToken)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, Agent.Http.NoSignalLifetime>();
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(_listen);
            k.Limits.MaxRequestLineSize = 64 * 1024;
            k.Limits.MaxRequestHeadersTotalSize = 96 * 1024;
        });
        var app = builder.Build();
        app.MapGet("/ping", () => Results.Text("pong", "text/plain"));
        app.MapGet("/v2/leader", context => CurrentLeader is { } leader
            ? HttpReplies.JsonAsync(context, 200, w =>
            {
                w.WriteStartObject();
                w.WriteString("leader", leader.HostPort);
                w.WriteEndObject();
            })
            : HttpReplies.MessageAsync(context, 404, "There is no leader"));
        app.MapGet("/v2/info", context => HttpReplies.JsonAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteString("name", _options.Scheduler.FrameworkName);
            w.WriteString("version", MarathonApi.Version);
            w.WriteBoolean("elected", false);
            if (CurrentLeader is { } leader)
            {
                w.WriteString("leader", leader.HostPort);
            }
            else
            {
                w.WriteNull("leader");
            }

            w.WriteEndObject();
        }));
        app.Map("/{**rest}", context => ForwardOrUnavailableAsync(context, (c, status, message) => HttpReplies.MessageAsync(c, status, message)));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        if (_listen.Port == 0 && app.Urls.FirstOrDefault() is { } bound)
        {
            // Both roles serve on one port: the first bind fixes it.
            _listen = new IPEndPoint(_listen.Address, new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)).Port);
        }

        return app;
    }
}
