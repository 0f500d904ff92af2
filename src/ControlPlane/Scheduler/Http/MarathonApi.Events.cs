using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Minuet.ControlPlane.Scheduler.Events;

namespace Minuet.ControlPlane.Scheduler.Http;

/// <summary>
/// <c>GET /v2/events</c>: server-sent events (<c>event: TYPE</c>, <c>data: JSON</c>), filtered by repeated
/// <c>event_type=</c>. Like Marathon, it needs <c>Accept: text/event-stream</c>.
/// </summary>
internal static partial class MarathonApi
{
    private static void MapEvents(WebApplication app, SchedulerCore core) => app.MapGet("/v2/events", context => EventsAsync(context, core));

    private static async Task EventsAsync(HttpContext context, SchedulerCore core)
    {
        if (!context.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.Ordinal))
        {
            await HttpReplies.MessageAsync(context, 405, "/v2/events needs the header Accept: text/event-stream").ConfigureAwait(false);
            return;
        }

        var filter = context.Request.Query["event_type"].Where(t => !string.IsNullOrEmpty(t)).Select(t => t!).ToList();
        using var subscription = core.Events.Subscribe(filter);
        context.Response.StatusCode = 200;
        context.Response.ContentType = "text/event-stream";
        context.Response.Headers.CacheControl = "no-cache";
        var attached = MarathonEvent.Create("event_stream_attached", DateTimeOffset.UtcNow, w => w.WriteString("remoteAddress", context.Connection.RemoteIpAddress?.ToString() ?? string.Empty));
        if (filter.Count == 0 || filter.Contains(attached.Type))
        {
            await WriteEventAsync(context, attached).ConfigureAwait(false);
        }

        await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        try
        {
            await foreach (var e in subscription.Reader.ReadAllAsync(context.RequestAborted).ConfigureAwait(false))
            {
                await WriteEventAsync(context, e).ConfigureAwait(false);
                await context.Response.Body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
            // The client went away.
        }
    }

    private static Task WriteEventAsync(HttpContext context, MarathonEvent e) =>
        context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes($"event: {e.Type}\ndata: {e.Json}\n\n"), context.RequestAborted).AsTask();
}
