using System.Threading.Channels;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;

namespace Minuet.ControlPlane.Api.Operator;

/// <summary>
/// Writes a v1 event stream: 200, <c>Content-Type: application/json</c> (the records' type, as Mesos sets it), an
/// endless chunked body of RecordIO records, one write and flush per record (as Mesos's StreamingHttpConnection
/// does, so readers that expect a record per chunk work), and a HEARTBEAT record whenever
/// <paramref name="heartbeatInterval"/> passes without one. Ends when the channel completes, the client leaves or
/// the host stops.
/// </summary>
internal static class RecordIoStream
{
    private static readonly byte[] Heartbeat = V1Http.Record(V1Http.Render("HEARTBEAT", null));

    public static async Task PumpAsync(HttpContext context, ChannelReader<byte[]> events, TimeSpan heartbeatInterval, bool heartbeatAfterFirst)
    {
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
            bool first = heartbeatAfterFirst;
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
                if (await Task.WhenAny(wait, Task.Delay(heartbeatInterval, cancel)).ConfigureAwait(false) != wait)
                {
                    await body.WriteAsync(Heartbeat, cancel).ConfigureAwait(false);
                    await body.FlushAsync(cancel).ConfigureAwait(false);
                    continue;
                }

                if (!await wait.ConfigureAwait(false))
                {
                    return; // The producer ended the stream (replaced, terminated or too slow).
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The reader hung up or the host stops.
        }
        catch (ChannelClosedException)
        {
        }
        catch (IOException)
        {
        }
    }
}
