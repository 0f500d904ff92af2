using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Minuet.ControlPlane.Master;

namespace Minuet.ControlPlane.Api.Operator;

/// <summary>
/// The operator SUBSCRIBE stream: 200, <c>Content-Type: application/json</c>, an endless chunked body of RecordIO
/// records (one write and flush per record, as Mesos's StreamingHttpConnection does): SUBSCRIBED with the whole
/// <c>get_state</c>, then every change, and HEARTBEAT every <c>heartbeat_interval_seconds</c>
/// (src/master/readonly_handler.cpp; 15 s).
/// </summary>
internal static class OperatorStream
{
    private static readonly byte[] Heartbeat = V1Http.Record(V1Http.Render("HEARTBEAT", null));

    public static async Task ServeAsync(HttpContext context, MasterCore master, OperatorEventHub hub, double heartbeatSeconds)
    {
        var (events, unsubscribe) = hub.Subscribe(master, heartbeatSeconds);
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(
            context.RequestAborted,
            context.RequestServices.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping);
        var cancel = ended.Token;
        try
        {
            context.Response.StatusCode = 200;
            context.Response.ContentType = V1Http.Json;
            context.Response.Headers.CacheControl = "no-cache";
            var body = context.Response.Body;
            var interval = TimeSpan.FromSeconds(heartbeatSeconds);

            // Mesos sends the first heartbeat right after SUBSCRIBED.
            bool first = true;
            while (!cancel.IsCancellationRequested)
            {
                if (events.TryRead(out var payload))
                {
                    await body.WriteAsync(V1Http.Record(payload), cancel).ConfigureAwait(false);
                    await body.FlushAsync(cancel).ConfigureAwait(false);
                    if (first)
                    {
                        first = false;
                        await body.WriteAsync(Heartbeat, cancel).ConfigureAwait(false);
                        await body.FlushAsync(cancel).ConfigureAwait(false);
                    }

                    continue;
                }

                var wait = events.WaitToReadAsync(cancel).AsTask();
                if (await Task.WhenAny(wait, Task.Delay(interval, cancel)).ConfigureAwait(false) != wait)
                {
                    await body.WriteAsync(Heartbeat, cancel).ConfigureAwait(false);
                    await body.FlushAsync(cancel).ConfigureAwait(false);
                    continue;
                }

                if (!await wait.ConfigureAwait(false))
                {
                    return; // Cut off as too slow: the stream ends and the client subscribes again.
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The subscriber hung up or the master stops.
        }
        catch (ChannelClosedException)
        {
        }
        catch (IOException)
        {
        }
        finally
        {
            unsubscribe();
        }
    }
}
