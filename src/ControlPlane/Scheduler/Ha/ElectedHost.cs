using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Minuet.ControlPlane.Coordination;

namespace Minuet.ControlPlane.Scheduler.Ha;

/// <summary>
/// The two roles of an HTTP service in an HA group on etcd (Marathon's model, shared by the scheduler and the jobs
/// service): a standby holds no state and serves only a proxy to the leader on the service's own ports; once elected,
/// it replaces the proxy with a full leader host whose store is fenced by the election, and deposed, it stops the
/// leader at once and brings the proxy back. Every term builds a fresh leader, so nothing of a lost term acts again.
/// Transitions run one at a time; the election's callbacks only queue them, so its loop keeps renewing the lease.
/// </summary>
internal abstract class ElectedHost<TLeader> : IAsyncDisposable
    where TLeader : class, IAsyncDisposable
{
    private readonly EtcdConnection _etcd;
    private readonly TimeSpan _ttl;
    private readonly string _key;
    private readonly ILogger _electionLog;
    private readonly SemaphoreSlim _transitions = new(1, 1);
    private LeaderElection? _election;
    private WebApplication? _standby;
    private volatile TLeader? _leader;
    private bool _disposed;

    protected ElectedHost(EtcdConnection etcd, TimeSpan ttl, string key, string idPrefix, ILogger electionLog)
    {
        _etcd = etcd;
        _ttl = ttl;
        _key = key;
        _electionLog = electionLog;
        Id = $"{idPrefix}-{Guid.NewGuid():N}"[..(idPrefix.Length + 13)];
    }

    /// <summary>The running leader (null while standing by).</summary>
    public TLeader? Leader => _leader;

    public bool IsLeader => _election?.IsLeader == true && _leader is not null;

    public LeaderElection? Election => _election;

    /// <summary>
    /// The current leader as last seen in etcd (this service while it leads). Another member's key naming this
    /// service's own address is a dead predecessor's (this process holds its port now; <c>up</c> restarts a killed
    /// member where it was): it is named by nobody, and a standby never proxies to itself.
    /// </summary>
    public SchedulerLeaderInfo? CurrentLeader => SchedulerLeaderInfo.TryParse(_election?.LeaderValue) is { } leader
        && (leader.Id == Id || !SameAuthority(leader.Url, BaseAddress)) ? leader : null;

    /// <summary>The service's bound address, the same in both roles (fixed by the standby's first bind).</summary>
    public abstract Uri BaseAddress { get; }

    /// <summary>This member's id in the leader key's value.</summary>
    protected string Id { get; }

    /// <summary>Forwards standbys' requests; never follows redirects and never times out a long poll.</summary>
    protected HttpClient ProxyHttp { get; } = new(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        _standby = await StartStandbyAsync(cancellationToken).ConfigureAwait(false);
        var self = new SchedulerLeaderInfo(Id, BaseAddress.ToString().TrimEnd('/'));
        _election = new LeaderElection(_etcd, new LeaderElectionOptions { Key = _key, Value = self.ToJson(), Ttl = _ttl, ProbeTarget = SchedulerLeaderInfo.ProbeTarget }, _electionLog)
        {
            // Off the election's loop: the new leader's store load runs synchronously and may take longer than the
            // lease TTL, while that loop must go on renewing the lease.
            Elected = _ => Task.Run(() => TransitionAsync(lead: true)).Forget(),
            Deposed = _ =>
            {
                // Stop acting now (no offer taken, no command sent); the proxy replaces the API right after.
                if (_leader is { } leader)
                {
                    StopActingAsync(leader).Forget();
                }

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

    /// <summary>Builds and starts the leader on the service's ports, its store fenced by <paramref name="store"/>.</summary>
    protected abstract Task<TLeader> StartLeaderAsync(EtcdKv store);

    /// <summary>Stops the leader's loops at once (it is disposed by the transition that follows).</summary>
    protected abstract Task StopActingAsync(TLeader leader);

    /// <summary>Builds and starts the standby's proxy on the service's ports.</summary>
    protected abstract Task<WebApplication> StartStandbyAsync(CancellationToken cancellationToken);

    protected abstract void LogTransitionFailed(string role, string error);

    /// <summary>Asks the election to stand aside (a leader that cannot serve its term).</summary>
    protected void Abdicate() => _election?.Abdicate();

    /// <summary>A standby's catch-all: forward to the leader, or 503 while none is known.</summary>
    protected Task ForwardOrUnavailableAsync(HttpContext context, Func<HttpContext, int, string, Task> message, string? leaderHeader = null)
    {
        if (CurrentLeader is { } leader && leader.Id != Id)
        {
            if (leaderHeader is not null)
            {
                context.Response.Headers[leaderHeader] = leader.Url;
            }

            return LeaderProxy.ForwardAsync(context, ProxyHttp, new Uri(leader.Url));
        }

        return message(context, 503, "There is no leader: an election is under way; retry shortly");
    }

    private static bool SameAuthority(string url, Uri self) =>
        Uri.TryCreate(url, UriKind.Absolute, out var other) && string.Equals(other.Authority, self.Authority, StringComparison.OrdinalIgnoreCase);

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

        ProxyHttp.Dispose();
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
                _leader = await StartLeaderAsync(new EtcdKv(_etcd, _election)).ConfigureAwait(false);

                // Deposed while starting: the next transition (queued behind this one) takes it down again.
            }
            else if (!lead && _leader is not null && _election?.IsLeader != true)
            {
                await StopLeaderAsync().ConfigureAwait(false);
                _standby = await StartStandbyAsync(CancellationToken.None).ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or InvalidDataException)
        {
            LogTransitionFailed(lead ? "lead" : "stand by", e.Message);
            if (lead)
            {
                _election?.Abdicate();
                if (_standby is null && _leader is null)
                {
                    _standby = await StartStandbyAsync(CancellationToken.None).ConfigureAwait(false);
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
}
