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
internal sealed class HaSchedulerHost : IAsyncDisposable
{
    private readonly SchedulerHostOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly TimeProvider? _time;
    private readonly EtcdConnection _etcd;
    private readonly TimeSpan _ttl;
    private readonly HttpClient _proxyHttp = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly SemaphoreSlim _transitions = new(1, 1);
    private readonly string _id = $"marathon-{Guid.NewGuid():N}"[..21];
    private IPEndPoint _listen;
    private LeaderElection? _election;
    private WebApplication? _standby;
    private volatile SchedulerHost? _leader;
    private bool _disposed;

    private HaSchedulerHost(SchedulerHostOptions options, EtcdConnection etcd, TimeSpan ttl, ILoggerFactory loggers, TimeProvider? time)
    {
        _options = options;
        _etcd = etcd;
        _ttl = ttl;
        _loggers = loggers;
        _time = time;
        _listen = options.MarathonListen;
    }

    /// <summary>The running leader (null while standing by).</summary>
    public SchedulerHost? Leader => _leader;

    public bool IsLeader => _election?.IsLeader == true && _leader is not null;

    public LeaderElection? Election => _election;

    /// <summary>The Marathon API's bound address, the same in both roles.</summary>
    public Uri BaseAddress => new($"http://{(_listen.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : _listen.Address)}:{_listen.Port}/");

    /// <summary>The current leader as last seen in etcd (this scheduler while it leads).</summary>
    public SchedulerLeaderInfo? CurrentLeader => SchedulerLeaderInfo.TryParse(_election?.LeaderValue);

    public static HaSchedulerHost Create(SchedulerHostOptions options, IReadOnlyList<Uri> etcdEndpoints, TimeSpan leaderTtl, ILoggerFactory? loggers = null, TimeProvider? time = null) =>
        new(options, EtcdConnection.Open(etcdEndpoints), leaderTtl, loggers ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, time);

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await StartStandbyAsync(cancellationToken).ConfigureAwait(false);
        var self = new SchedulerLeaderInfo(_id, BaseAddress.ToString().TrimEnd('/'));
        _election = new LeaderElection(_etcd, new LeaderElectionOptions { Key = LeaderElectionOptions.SchedulerKey, Value = self.ToJson(), Ttl = _ttl },
            _loggers.CreateLogger("Minuet.Scheduler.Election"))
        {
            // Off the election's loop: the new leader's store load (inside SchedulerHost.Create) runs synchronously
            // and may take longer than the lease TTL, while that loop must go on renewing the lease.
            Elected = fence => Task.Run(() => TransitionAsync(lead: true)).Forget(),
            Deposed = reason =>
            {
                // Stop acting now (no offer taken, no command sent); the proxy replaces the API right after.
                _leader?.StopAsync().Forget();
                TransitionAsync(lead: false).Forget();
            },
        };
        _election.Start();
    }

    /// <summary>Clean stop (SIGTERM): resign first so a standby leads at once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_election is not null)
        {
            await _election.ResignAsync().ConfigureAwait(false);
        }

        await ShutdownAsync().ConfigureAwait(false);
    }

    /// <summary>Stops as a crash would (tests): the lease is left to expire.</summary>
    internal async ValueTask DisposeWithoutResignAsync()
    {
        if (_election is not null)
        {
            await _election.AbandonAsync().ConfigureAwait(false);
        }

        await ShutdownAsync().ConfigureAwait(false);
    }

    private async Task ShutdownAsync()
    {
        await _transitions.WaitAsync().ConfigureAwait(false);
        try
        {
            _disposed = true;
            await StopLeaderAsync().ConfigureAwait(false);
            await StopStandbyAsync().ConfigureAwait(false);
        }
        finally
        {
            _transitions.Release();
        }

        if (_election is not null)
        {
            await _election.DisposeAsync().ConfigureAwait(false);
        }

        _proxyHttp.Dispose();
        _etcd.Dispose();
    }

    private async Task TransitionAsync(bool lead)
    {
        await _transitions.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            if (lead && _election?.IsLeader == true && _leader is null)
            {
                await StopStandbyAsync().ConfigureAwait(false);
                var host = SchedulerHost.Create(_options with
                {
                    MarathonListen = _listen,
                    Store = new EtcdSchedulerStore(new EtcdKv(_etcd, _election)),
                    Abdicate = () => _election?.Abdicate(),
                }, _loggers, _time);
                await host.StartAsync().ConfigureAwait(false);
                _leader = host;

                // Deposed while starting: the next transition (queued behind this one) takes it down again.
            }
            else if (!lead && _leader is not null && _election?.IsLeader != true)
            {
                await StopLeaderAsync().ConfigureAwait(false);
                await StartStandbyAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            SchedulerHaLog.TransitionFailed(_loggers.CreateLogger("Minuet.Scheduler.Ha"), lead ? "lead" : "stand by", e.Message);
            if (lead)
            {
                _election?.Abdicate();
                if (_standby is null && _leader is null)
                {
                    await StartStandbyAsync(CancellationToken.None).ConfigureAwait(false);
                }
            }
        }
        finally
        {
            _transitions.Release();
        }
    }

    private async Task StopLeaderAsync()
    {
        if (_leader is { } leader)
        {
            _leader = null;
            await leader.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task StopStandbyAsync()
    {
        if (_standby is { } standby)
        {
            _standby = null;
            await standby.StopAsync().ConfigureAwait(false);
            await standby.DisposeAsync().ConfigureAwait(false);
        }
    }

    private async Task StartStandbyAsync(CancellationToken cancellationToken)
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
        app.Map("/{**rest}", context => CurrentLeader is { } leader && leader.Id != _id
            ? LeaderProxy.ForwardAsync(context, _proxyHttp, new Uri(leader.Url))
            : HttpReplies.MessageAsync(context, 503, "There is no leader: an election is under way; retry shortly"));
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        if (_listen.Port == 0 && app.Urls.FirstOrDefault() is { } bound)
        {
            // Both roles serve on one port: the first bind fixes it.
            _listen = new IPEndPoint(_listen.Address, new Uri(bound.Replace("[::]", "127.0.0.1", StringComparison.Ordinal)).Port);
        }

        _standby = app;
    }
}
