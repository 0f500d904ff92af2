using Microsoft.Extensions.Logging;

namespace Minuet.Platform.EdgeLb.Runtime;

/// <summary>
/// Follows Marathon's <c>/v2/events</c> for the three event types marathon-lb acts on; each one only asks the
/// controller for a regeneration (bursts coalesce there). Reconnects after errors with backoff ×1.5 up to 300 s, at
/// once after 300 s of silence (a half-open connection looks exactly like a quiet cluster), and asks for a
/// regeneration on every (re)connect, since events may have been missed.
/// </summary>
internal sealed class MarathonEventFollower(Uri marathon, HttpClient http, EdgeLbController controller, ILogger log)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(300);

    public TimeSpan Silence { get; init; } = TimeSpan.FromSeconds(300);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = FirstBackoff;
        var url = new Uri(marathon, "v2/events?event_type=api_post_event&event_type=health_status_changed_event&event_type=status_update_event");
        while (!cancellationToken.IsCancellationRequested)
        {
            string reason;
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Accept.ParseAdd("text/event-stream");
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                backoff = FirstBackoff;
                controller.RequestSync();
                using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
                reason = await ReadEventsAsync(reader, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                reason = e.Message;
            }
            catch (OperationCanceledException)
            {
                return;
            }

            controller.Metrics.StreamReconnect();
            EdgeLbLog.EventStreamLost(log, marathon, reason, backoff.TotalSeconds);
            try
            {
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, (long)(backoff.Ticks * 1.5)));
        }
    }

    private async Task<string> ReadEventsAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        while (true)
        {
            using var silence = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            silence.CancelAfter(Silence);
            string? line;
            try
            {
                line = await reader.ReadLineAsync(silence.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                return $"no data for {Silence.TotalSeconds} s";
            }

            if (line is null)
            {
                return "stream ended";
            }

            if (line.StartsWith("event:", StringComparison.Ordinal) || line.StartsWith("data:", StringComparison.Ordinal))
            {
                controller.RequestSync();
            }
        }
    }
}
