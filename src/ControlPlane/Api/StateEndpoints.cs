using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Master.State;

namespace Minuet.ControlPlane.Api;

/// <summary><c>/master/state</c> (and its aliases), the endpoint push stream, health and operator calls.</summary>
internal static class StateEndpoints
{
    public const string StreamPath = "/master/endpoints/stream";

    private static readonly TimeSpan StreamHeartbeat = TimeSpan.FromSeconds(10);

    public static void Map(WebApplication app, MasterCore master)
    {
        foreach (var path in new[] { "/master/state", "/state.json", "/master/state.json", "/state" })
        {
            app.MapGet(path, async context =>
            {
                // The published view, never the master lock: a large document cannot hold up the master.
                var bytes = master.StateDocument();
                context.Response.ContentType = "application/json";
                context.Response.ContentLength = bytes.Length;
                await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
            });
        }

        app.MapGet(StreamPath, context => StreamAsync(context, master));
        MapOperator(app, "/master/reserve", MasterApiJsonContext.Default.ReservationRequest, master.Reserve);
        MapOperator(app, "/master/unreserve", MasterApiJsonContext.Default.ReservationRequest, master.Unreserve);
        MapOperator(app, "/master/roles", MasterApiJsonContext.Default.RoleConfigRequest, master.ConfigureRole);
    }

    private static void MapOperator<T>(WebApplication app, string path, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info, Func<T, MasterError?> call)
        where T : class
    {
        app.MapPost(path, async context =>
        {
            var request = await HttpJson.ReadAsync(context, info, BodyLimits.Small).ConfigureAwait(false);
            if (request is not null)
            {
                await HttpJson.WriteOutcomeAsync(context, call(request)).ConfigureAwait(false);
            }
        });
    }

    /// <summary>
    /// NDJSON: a snapshot (or, with <c>?since=V</c> still in the log, the deltas after V), then every delta in order;
    /// a heartbeat line when nothing changed for 10 s; a fresh snapshot if this reader fell out of the log.
    /// </summary>
    private static async Task StreamAsync(HttpContext context, MasterCore master)
    {
        long? since = null;
        if (context.Request.Query.TryGetValue("since", out var sinceText))
        {
            if (!long.TryParse(sinceText, NumberStyles.None, CultureInfo.InvariantCulture, out long parsed))
            {
                await HttpJson.WriteErrorAsync(context, new MasterError(400, "invalid", $"query parameter 'since' must be a version number, not '{sinceText}'",
                    [new Protocol.FieldError("/since", ["must be a non-negative integer"])])).ConfigureAwait(false);
                return;
            }

            since = parsed;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/x-ndjson";
        context.Response.Headers.CacheControl = "no-cache";
        var body = context.Response.Body;
        var changes = master.Changes;
        var lines = new List<byte[]>();
        // Also end when the host stops: Kestrel otherwise waits its whole shutdown timeout for this endless response.
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(
            context.RequestAborted,
            context.RequestServices.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping);
        var cancel = ended.Token;
        try
        {
            long cursor;
            if (since is { } v && changes.TryReadAfter(v, lines, out long last))
            {
                cursor = last;
            }
            else
            {
                lines.Clear();
                var view = master.View;
                cursor = view.ChangeVersion;
                lines.Add(StreamLines.Snapshot(view));
            }

            while (!cancel.IsCancellationRequested)
            {
                foreach (var line in lines)
                {
                    await body.WriteAsync(line, cancel).ConfigureAwait(false);
                }

                await body.FlushAsync(cancel).ConfigureAwait(false);
                lines.Clear();

                var wait = changes.WaitAfterAsync(cursor, cancel);
                if (await Task.WhenAny(wait, Task.Delay(StreamHeartbeat, cancel)).ConfigureAwait(false) != wait)
                {
                    lines.Add(StreamLines.Heartbeat(cursor));
                    continue;
                }

                await wait.ConfigureAwait(false);
                if (!changes.TryReadAfter(cursor, lines, out long newest))
                {
                    lines.Clear();
                    var view = master.View;
                    cursor = view.ChangeVersion;
                    lines.Add(StreamLines.Snapshot(view));
                }
                else
                {
                    cursor = newest;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The reader hung up.
        }
        catch (IOException)
        {
            // The connection broke mid-write.
        }
    }
}
