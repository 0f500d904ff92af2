using Microsoft.Extensions.Logging;

namespace Minuet.Platform.AdminRouter.Services;

/// <summary>
/// Subscribes to Marathon's <c>/v2/events</c> (server-sent events) and asks the <see cref="ServiceCache"/> for a
/// rebuild on every event that can change which task serves a name; reconnects with backoff when the stream ends.
/// </summary>
internal sealed class MarathonEventWatcher(Uri marathon, HttpClient http, ServiceCache cache, ILogger log)
{
    private static readonly TimeSpan MaxBackoff = TimeSpan.FromSeconds(10);

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        var backoff = TimeSpan.FromMilliseconds(250);
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(marathon, "v2/events"));
                request.Headers.Accept.ParseAdd("text/event-stream");
                using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    backoff = TimeSpan.FromMilliseconds(250);
                    cache.RequestRefresh(); // whatever happened while not subscribed
                    using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false));
                    while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
                    {
                        if (line.StartsWith("event:", StringComparison.Ordinal) && Matters(line["event:".Length..].Trim()))
                        {
                            cache.RequestRefresh();
                        }
                    }
                }
            }
            catch (Exception e) when (e is HttpRequestException or IOException || (e is OperationCanceledException && !cancellationToken.IsCancellationRequested))
            {
                AdminRouterLog.EventStreamLost(log, marathon, e.Message);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            try
            {
                await Task.Delay(backoff, cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            backoff = TimeSpan.FromTicks(Math.Min(MaxBackoff.Ticks, backoff.Ticks * 2));
        }
    }

    /// <summary>Stream bookkeeping and health-check noise change nothing; task, app and deployment events may.</summary>
    private static bool Matters(string type) => type is not ("event_stream_attached" or "event_stream_detached" or "health_status_changed_event" or "failed_health_check_event");
}
