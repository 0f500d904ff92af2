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
internal sealed class HaJobsHost : IAsyncDisposable
{
    public const string LeaderKey = "/minuet/metronome/leader";

    private readonly JobsHostOptions _options;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _log;
    private readonly TimeProvider? _time;
    private readonly EtcdConnection _etcd;
    private readonly TimeSpan _ttl;
    private readonly HttpClient _proxyHttp = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
    private readonly SemaphoreSlim _transitions = new(1, 1);
    private readonly string _id = $"metronome-{Guid.NewGuid():N}"[..22];
    private IPEndPoint _listen;
    private IPEndPoint? _chronos;
    private LeaderElection? _election;
    private WebApplication? _standby;
    private volatile JobsHost? _leader;
    private bool _disposed;

    private HaJobsHost(JobsHostOptions options, EtcdConnection etcd, TimeSpan ttl, ILoggerFactory loggers, TimeProvider? time)
    {
        _options = options;
        _etcd = etcd;
        _ttl = ttl;
        _loggers = loggers;
        _log = loggers.CreateLogger("Minuet.Jobs.Ha");
        _time = time;
        _listen = options.Listen;
        _chronos = options.ChronosListen is { } c && !c.Equals(options.Listen) ? c : null;
    }

    /// <summary>The running leader (null while standing by).</summary>
    public JobsHost? Leader => _leader;

    public bool IsLeader => _election?.IsLeader == true && _leader is not null;

    /// <summary>The Metronome API's bound address, the same in both roles (it serves the Chronos API too).</summary>
    public Uri BaseAddress => new($"http://{(_listen.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : _listen.Address)}:{_listen.Port}/");

    /// <summary>The current leader as last seen in etcd (this service while it leads).</summary>
    public SchedulerLeaderInfo? CurrentLeader => SchedulerLeaderInfo.TryParse(_election?.LeaderValue);

    public static HaJobsHost Create(JobsHostOptions options, IReadOnlyList<Uri> etcdEndpoints, TimeSpan leaderTtl, ILoggerFactory? loggers = null, TimeProvider? time = null) =>
        new(options, EtcdConnection.Open(etcdEndpoints), leaderTtl, loggers ?? Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance, time);

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await StartStandbyAsync(cancellationToken).ConfigureAwait(false);
        var self = new SchedulerLeaderInfo(_id, BaseAddress.ToString().TrimEnd('/'));
        _election = new LeaderElection(_etcd, new LeaderElectionOptions { Key = LeaderKey, Value = self.ToJson(), Ttl = _ttl },
            _loggers.CreateLogger("Minuet.Jobs.Election"))
        {
            // Off the election's loop: loading the store (inside JobsHost.Create) must not delay the lease's keepalives.
            Elected = _ => Task.Run(() => TransitionAsync(lead: true)).Forget(),
            Deposed = _ =>
            {
                // Stop acting now; the proxy replaces the APIs right after.
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
                Log.Leading(_log, LeaderKey);
                var host = JobsHost.Create(_options with
                {
                    Listen = _listen,
                    ChronosListen = _chronos,
                    StateDir = null,
                    Store = new EtcdJobStore(new EtcdKv(_etcd, _election)),
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
        catch (Exception e) when (e is IOException or InvalidOperationException or InvalidDataException)
        {
            Log.TransitionFailed(_log, lead ? "lead" : "stand by", e.Message);
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
        app.Map("/{**rest}", context =>
        {
            if (CurrentLeader is { } leader && leader.Id != _id)
            {
                context.Response.Headers["X-Metronome-Leader"] = leader.Url;
                return LeaderProxy.ForwardAsync(context, _proxyHttp, new Uri(leader.Url));
            }

            return Replies.MessageAsync(context, 503, "There is no leader: an election is under way; retry shortly");
        });
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        FixPorts(app.Urls.ToList());
        _standby = app;
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
