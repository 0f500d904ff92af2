using System.Net.Http.Headers;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Minuet.Coordination;

namespace Minuet.DataPlane.Sources;

/// <summary>
/// <c>--master-url URL</c>: follows the master's push stream (<c>GET /master/endpoints/stream</c>): a snapshot,
/// then ordered deltas with versions, handed line by line to a <see cref="StreamStatePublisher"/>. On a lost connection it
/// keeps serving the last snapshot (its age shows in <c>minuet_dataplane_snapshot_age_seconds</c>, and
/// <c>minuet_dataplane_source_connected</c> drops to 0) and reconnects with backoff, resuming with
/// <c>?since=</c> the last applied version.
/// Given several masters (<c>--master-url http://m1:5050,http://m2:5050</c>) it follows the leader: it finds it with a
/// <see cref="LeaderLocator"/>, asks that leader's <c>/master/redirect</c> every <see cref="LeaderWatchInterval"/>
/// while following (a deposed leader that keeps its stream open is noticed, not only a dead one), and on a change
/// drops the connection, keeps serving the last snapshot, and subscribes to the new leader from a fresh snapshot
/// (versions are per master, so resuming across masters could skip changes). A standby's 307 to the stream is
/// followed to the leader it names.
/// </summary>
public sealed partial class MasterStreamSource : IStateSource, IDisposable
{
    private static readonly TimeSpan MinBackoff = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(5);

    private readonly LeaderLocator _locator;
    private readonly SnapshotPipeline _pipeline;
    private readonly HttpClient _client;
    private readonly ILogger _logger;
    private readonly StreamStatePublisher _publisher;
    private Uri _target;
    private Uri? _followed;
    private bool _deposed;
    private bool _reconnectNow;

    /// <param name="masterUrl">The master's base URL (<c>http://127.0.0.1:5050</c>); the stream path is added.</param>
    /// <param name="idleTimeout">No line (the master sends a heartbeat after 10 s of quiet) for this long: reconnect.</param>
    public MasterStreamSource(Uri masterUrl, SnapshotPipeline pipeline, TimeSpan idleTimeout, ILogger? logger = null, HttpMessageHandler? handler = null)
        : this([masterUrl], pipeline, idleTimeout, logger, handler)
    {
    }

    /// <param name="masters">Every master's base URL; with more than one, the leader among them is followed.</param>
    /// <param name="idleTimeout">No line (the master sends a heartbeat after 10 s of quiet) for this long: reconnect.</param>
    public MasterStreamSource(IReadOnlyList<Uri> masters, SnapshotPipeline pipeline, TimeSpan idleTimeout, ILogger? logger = null,
        HttpMessageHandler? handler = null, LeaderLocatorOptions? leaderOptions = null)
    {
        ArgumentNullException.ThrowIfNull(masters);
        ArgumentOutOfRangeException.ThrowIfZero(masters.Count);
        // Short pauses while no master leads: DNS should name the new leader within a second of its election.
        _locator = new LeaderLocator(masters, leaderOptions ?? new LeaderLocatorOptions { MaxBackoff = TimeSpan.FromMilliseconds(250) }, handler);
        _target = _locator.Masters[0];
        _pipeline = pipeline;
        _publisher = new StreamStatePublisher(pipeline);
        IdleTimeout = idleTimeout;
        _logger = logger ?? NullLogger.Instance;
        _client = handler is null
            ? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, ConnectTimeout = TimeSpan.FromSeconds(5) })
            : new HttpClient(handler, disposeHandler: false);
        _client.Timeout = Timeout.InfiniteTimeSpan;
        _pipeline.Health.Connected = false;
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Minuet-DataPlane", "1"));
    }

    public TimeSpan IdleTimeout { get; }

    /// <summary>How often the followed leader is asked whether it still leads (several masters only).</summary>
    public TimeSpan LeaderWatchInterval { get; init; } = TimeSpan.FromMilliseconds(300);

    /// <summary>The master whose stream is (or was last) followed.</summary>
    public Uri Following => Volatile.Read(ref _target);

    public string Origin => new UriBuilder(StreamUrl(Following, null)) { UserName = string.Empty, Password = string.Empty }.Uri.ToString();

    /// <summary>Version of the last applied stream line (0 before the first snapshot).</summary>
    public long Version => _publisher.Version;

    /// <summary>Connections opened so far (the first one included).</summary>
    public int Connections => Volatile.Read(ref _connections);

    private int _connections;

    /// <summary>Snapshot lines received so far (a resume that needed no snapshot adds none).</summary>
    public int Snapshots => _publisher.Snapshots;

    /// <summary>Waits (at most <paramref name="timeout"/>) until the first snapshot is published.</summary>
    public Task<bool> WaitForFirstSnapshotAsync(TimeSpan timeout, CancellationToken cancellationToken) =>
        _publisher.WaitForFirstSnapshotAsync(timeout, cancellationToken);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var publisher = Task.Run(() => _publisher.RunAsync(() => Origin, cancellationToken), CancellationToken.None);
        var backoff = MinBackoff;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                bool gotLines = await FollowOnceAsync(cancellationToken).ConfigureAwait(false);
                _pipeline.Health.Connected = false;
                if (cancellationToken.IsCancellationRequested)
                {
                    break;
                }

                if (_reconnectNow)
                {
                    // The leader moved (deposed, or a standby redirected): the new one is known or looked for at once.
                    _reconnectNow = false;
                    backoff = MinBackoff;
                    continue;
                }

                backoff = gotLines ? MinBackoff : TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        finally
        {
            _pipeline.Health.Connected = false;
            try
            {
                await publisher.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
            }
        }
    }

    /// <summary>One connection: true when at least one line arrived (the backoff then starts small again).</summary>
    private async Task<bool> FollowOnceAsync(CancellationToken cancellationToken)
    {
        bool several = _locator.Masters.Count > 1;
        Uri master = await _locator.TargetAsync(
            why => _pipeline.ReportFetchError("masters " + string.Join(',', _locator.Masters.Select(m => m.Authority)), why), cancellationToken).ConfigureAwait(false);
        Volatile.Write(ref _target, master);
        long since = _publisher.ResumePoint(otherMaster: _followed is not null && _followed != master);

        Uri url = StreamUrl(master, since > 0 ? since : null);
        using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var watch = several ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken) : null;
        Volatile.Write(ref _deposed, false);
        Task deposed = watch is null ? Task.CompletedTask : WatchLeaderAsync(master, idle, watch.Token);
        bool gotLines = false;
        try
        {
            idle.CancelAfter(IdleTimeout);
            using var response = await _client.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, idle.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                var kind = MasterAnswer.Classify(response.StatusCode, response.Headers.Location?.OriginalString,
                    await response.Content.ReadAsByteArrayAsync(idle.Token).ConfigureAwait(false));
                if (kind == MasterAnswerKind.Redirect && _locator.Redirected(master, response.Headers.Location?.OriginalString) is { } leader)
                {
                    _pipeline.ReportFetchError(Origin, $"not the leader; following its redirect to {leader.Authority}");
                    _reconnectNow = true;
                    return true;
                }

                if (kind == MasterAnswerKind.NoLeader)
                {
                    _locator.Lost(master);
                }

                _pipeline.ReportFetchError(Origin, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
                return false;
            }

            if (_followed != master)
            {
                if (_followed is not null)
                {
                    LogLeaderChanged(_logger, master.Authority, _followed.Authority);
                }

                _followed = master;
            }

            Interlocked.Increment(ref _connections);
            LogConnected(_logger, Origin, since);
            var stream = await response.Content.ReadAsStreamAsync(idle.Token).ConfigureAwait(false);
            bool stopped = await StreamLines.ReadAsync(stream, idle, IdleTimeout, line =>
            {
                gotLines = true;
                _pipeline.Health.Connected = true;
                return _publisher.ApplyLine(line, Origin); // false: resync (a gap asks for a fresh snapshot)
            }).ConfigureAwait(false);
            if (!stopped)
            {
                _pipeline.ReportFetchError(Origin, "the master closed the stream");
            }

            return gotLines;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && Volatile.Read(ref _deposed))
        {
            _pipeline.ReportFetchError(Origin, "it no longer leads");
            _reconnectNow = true;
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _pipeline.ReportFetchError(Origin, $"no line for {IdleTimeout.TotalSeconds:0.###} s (the master heartbeats every 10 s)");
            return gotLines;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException)
        {
            _locator.Lost(master);
            _pipeline.ReportFetchError(Origin, ex.Message);
            return gotLines;
        }
        finally
        {
            if (watch is not null)
            {
                await watch.CancelAsync().ConfigureAwait(false);
                await deposed.ConfigureAwait(false);
            }
        }
    }

    /// <summary>
    /// Asks the followed master who leads every <see cref="LeaderWatchInterval"/>; when it names another master, knows
    /// none, or stops answering, forgets it as leader and cancels <paramref name="connection"/>. Completes then, or
    /// when <paramref name="cancellationToken"/> ends the watch. One small request per interval to one master.
    /// </summary>
    private async Task WatchLeaderAsync(Uri master, CancellationTokenSource connection, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                await Task.Delay(LeaderWatchInterval, cancellationToken).ConfigureAwait(false);
                var answer = await _locator.AskAsync(master, cancellationToken).ConfigureAwait(false);
                if (cancellationToken.IsCancellationRequested)
                {
                    return;
                }

                if (answer.Leader != master)
                {
                    if (answer.Leader is { } other)
                    {
                        _locator.Redirected(master, "//" + other.Authority);
                    }
                    else
                    {
                        _locator.Lost(master);
                    }

                    Volatile.Write(ref _deposed, true);
                    await connection.CancelAsync().ConfigureAwait(false);
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    private static Uri StreamUrl(Uri master, long? since)
    {
        var builder = new UriBuilder(master);
        builder.Path = builder.Path.TrimEnd('/') + "/master/endpoints/stream";
        builder.Query = since is { } v ? "since=" + v.ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty;
        return builder.Uri;
    }

    public void Dispose()
    {
        _client.Dispose();
        _locator.Dispose();
        _publisher.Dispose();
    }

    [LoggerMessage(EventId = 3010, Level = LogLevel.Information, Message = "Following {Origin} (resuming after version {Since}; 0 = from a snapshot)")]
    private static partial void LogConnected(ILogger logger, string origin, long since);

    [LoggerMessage(EventId = 3011, Level = LogLevel.Information, Message = "Leading master is now {Leader} (was {Previous}): following its stream from a snapshot")]
    private static partial void LogLeaderChanged(ILogger logger, string leader, string previous);
}
