using Microsoft.Extensions.Logging;

namespace Minuet.ControlPlane.Agent.MasterLink;

/// <summary>
/// With several masters, the agent keeps one request open on the leader it follows
/// (<c>/master/redirect?wait_secs=N&amp;unless=itself</c>, which a leader holds while it leads): when that leader's
/// process dies, the kernel resets the connection and the agent looks for the next leader at once, instead of at
/// its next heartbeat (every 5 s), so it re-registers as soon as the new leader is elected. A master that answers
/// at once (an older build, or leadership that moved) wakes the heartbeat loop, which follows the 307.
/// </summary>
internal sealed partial class MasterConnection
{
    private static readonly TimeSpan LeaderWatchHold = TimeSpan.FromSeconds(25);
    private static readonly TimeSpan LeaderWatchPause = TimeSpan.FromSeconds(1);

    private async Task WatchLeaderAsync(CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                var leader = Volatile.Read(ref _leader);
                if (leader is null || !IsRegistered)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
                    continue;
                }

                long started = Environment.TickCount64;
                bool broken = await HoldOnLeaderAsync(leader, cancellationToken).ConfigureAwait(false);
                if (broken && Volatile.Read(ref _leader) == leader)
                {
                    LogLeaderConnectionBroken(_logger, leader.Authority);
                    _locator.Lost(leader);
                    _wake.Release();

                    // The heartbeat loop looks for the next leader now; hold on that one once it is found.
                    for (int i = 0; i < 25 && Volatile.Read(ref _leader) == leader; i++)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
                    }
                }
                else if (Environment.TickCount64 - started < LeaderWatchPause.TotalMilliseconds)
                {
                    _wake.Release();
                    await Task.Delay(LeaderWatchPause, cancellationToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }
        }
    }

    /// <summary>True when the connection broke (refused or reset: no process there any more); false for an answer or a hold past its limit.</summary>
    private async Task<bool> HoldOnLeaderAsync(Uri leader, CancellationToken cancellationToken)
    {
        var url = new Uri(leader, $"/master/redirect?wait_secs={LeaderWatchHold.TotalSeconds:0}&unless={Uri.EscapeDataString(leader.Authority)}");
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(LeaderWatchHold + RequestTimeout);
        try
        {
            using var response = await _http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, limit.Token).ConfigureAwait(false);
            return false;
        }
        catch (HttpRequestException)
        {
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false; // held past its limit: a hung leader is the heartbeats' to judge
        }
    }

    [LoggerMessage(EventId = 5208, Level = LogLevel.Warning, Message = "The connection to the leading master {Leader} broke; looking for the next leader now")]
    private static partial void LogLeaderConnectionBroken(ILogger logger, string leader);
}
