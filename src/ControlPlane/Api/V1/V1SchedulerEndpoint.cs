using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Minuet.ControlPlane.Master;

namespace Minuet.ControlPlane.Api.V1;

/// <summary>
/// Mesos's v1 scheduler API, <c>POST /api/v1/scheduler</c> (also under <c>/master</c>): the checks and answers of
/// Mesos's <c>Master::Http::scheduler</c> (src/master/http.cpp) in its order: 405, 400/415 on Content-Type, 400 on
/// the body, 406 on Accept (SUBSCRIBE only), then SUBSCRIBE's endless RecordIO stream or another call's 202.
/// Errors are plain text, as Mesos's are.
/// </summary>
internal static class V1SchedulerEndpoint
{
    public const string Path = "/api/v1/scheduler";

    public static void Map(WebApplication app, MasterCore master)
    {
        var streams = new V1Streams();
        var calls = new V1SchedulerCalls(master, streams);
        foreach (var path in new[] { Path, "/master" + Path })
        {
            app.Map(path, context => HandleAsync(context, master, streams, calls));
        }
    }

    private static async Task HandleAsync(HttpContext context, MasterCore master, V1Streams streams, V1SchedulerCalls calls)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.Headers.Allow = "POST";
            await TextAsync(context, 405, $"Expecting a 'POST' request, received '{request.Method}'").ConfigureAwait(false);
            return;
        }

        string? contentType = request.Headers.ContentType;
        if (string.IsNullOrEmpty(contentType))
        {
            await TextAsync(context, 400, "Expecting 'Content-Type' to be present").ConfigureAwait(false);
            return;
        }

        if (contentType == V1MediaTypes.Protobuf)
        {
            await TextAsync(context, 415, $"This master speaks the v1 API in {V1MediaTypes.Json} only; send 'Content-Type: {V1MediaTypes.Json}' ({V1MediaTypes.Protobuf} is not supported)").ConfigureAwait(false);
            return;
        }

        if (contentType != V1MediaTypes.Json)
        {
            await TextAsync(context, 415, $"Expecting 'Content-Type' of {V1MediaTypes.Json} or {V1MediaTypes.Protobuf}").ConfigureAwait(false);
            return;
        }

        var (call, parseError, status) = await ReadCallAsync(context, master).ConfigureAwait(false);
        if (call is null)
        {
            await TextAsync(context, status, parseError!).ConfigureAwait(false);
            return;
        }

        if (V1CallValidation.Validate(call) is { } invalid)
        {
            await TextAsync(context, 400, "Failed to validate scheduler::Call: " + invalid).ConfigureAwait(false);
            return;
        }

        if (call.Type == "SUBSCRIBE")
        {
            await SubscribeAsync(context, master, streams, call).ConfigureAwait(false);
            return;
        }

        var (code, text) = calls.Handle(call, request.Headers[V1MediaTypes.StreamIdHeader].ToString());
        await TextAsync(context, code, text).ConfigureAwait(false);
    }

    private static async Task<(V1Call? Call, string? Error, int Status)> ReadCallAsync(HttpContext context, MasterCore master)
    {
        long limit = BodyLimits.SchedulerCall;
        if (context.Request.ContentLength > limit)
        {
            master.Metrics.RequestsTooLarge.Increment();
            return (null, $"Request body too large: at most {BodyLimits.Describe(limit)}", 413);
        }

        if (context.Features.Get<Microsoft.AspNetCore.Http.Features.IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } feature)
        {
            feature.MaxRequestBodySize = limit;
        }

        byte[] body;
        try
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            body = buffer.ToArray();
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            master.Metrics.RequestsTooLarge.Increment();
            return (null, $"Request body too large: at most {BodyLimits.Describe(limit)}", 413);
        }

        try
        {
            using var document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return (null, $"Failed to convert JSON into Call protobuf: Expecting a JSON object, got {document.RootElement.ValueKind}", 400);
            }
        }
        catch (JsonException e)
        {
            return (null, "Failed to parse body into JSON: " + e.Message, 400);
        }

        try
        {
            return (JsonSerializer.Deserialize(body, V1JsonContext.Default.V1Call), null, 200);
        }
        catch (JsonException e)
        {
            var at = string.IsNullOrEmpty(e.Path) ? string.Empty : $" (at {e.Path.TrimStart('$', '.')})";
            return (null, $"Failed to convert JSON into Call protobuf: {e.Message.Split(" Path:", 2)[0]}{at}", 400);
        }
    }

    private static async Task SubscribeAsync(HttpContext context, MasterCore master, V1Streams streams, V1Call call)
    {
        if (context.Request.Headers.ContainsKey(V1MediaTypes.StreamIdHeader))
        {
            await TextAsync(context, 400, "Subscribe calls should not include the 'Mesos-Stream-Id' header").ConfigureAwait(false);
            return;
        }

        string? accept = context.Request.Headers.Accept;
        if (!V1MediaTypes.Accepts(accept, V1MediaTypes.Json))
        {
            await TextAsync(context, 406, V1MediaTypes.Accepts(accept, V1MediaTypes.Protobuf)
                ? $"Expecting 'Accept' to allow '{V1MediaTypes.Json}': this master does not stream {V1MediaTypes.Protobuf}"
                : $"Expecting 'Accept' to allow '{V1MediaTypes.Protobuf}' or '{V1MediaTypes.Json}'").ConfigureAwait(false);
            return;
        }

        var info = call.Subscribe!.FrameworkInfo!;
        bool partitionAware = info.Capabilities?.Any(c => c?.Type == "PARTITION_AWARE") == true;
        var response = context.Response;
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(
            context.RequestAborted,
            context.RequestServices.GetRequiredService<IHostApplicationLifetime>().ApplicationStopping);
        if (info.Id?.Value is { Length: > 0 } returning && master.IsRemovedFramework(returning))
        {
            // Mesos answers a removed framework on the stream it opened, then closes it.
            StartStream(response, Guid.NewGuid().ToString());
            await WriteAsync(response.Body, new V1Event { Type = "ERROR", Error = new V1Error("Framework has been removed") }, ended.Token).ConfigureAwait(false);
            return;
        }

        var roles = info.Roles is { Count: > 0 } list ? list : info.Role is { } single ? [single] : [];
        if (roles.Count > 1)
        {
            await TextAsync(context, 400, "Failed to validate scheduler::Call: this master gives a framework one role; 'framework_info.roles' lists " + roles.Count).ConfigureAwait(false);
            return;
        }

        if (info.Id?.Value is { Length: > 0 } id)
        {
            streams.FailOver(id);
        }

        var (connection, error) = master.Subscribe(new SubscribeRequest
        {
            FrameworkId = info.Id?.Value is { Length: > 0 } known ? known : null,
            Name = info.Name,
            Role = roles.Count == 1 ? roles[0] : "*",
            Principal = info.Principal,
            User = info.User!,
            Hostname = info.Hostname,
            WebuiUrl = info.WebuiUrl,
            FailoverTimeout = info.FailoverTimeout ?? 0,
            Checkpoint = info.Checkpoint ?? false,
        });
        if (connection is null)
        {
            await TextAsync(context, error!.Status == 503 ? 503 : 400, error.Status == 503 ? error.Message : "Failed to validate scheduler::Call: " + error.Message).ConfigureAwait(false);
            return;
        }

        var stream = new V1Stream(Guid.NewGuid().ToString(), connection, partitionAware);
        streams.Add(stream);
        var body = response.Body;
        using var cut = CancellationTokenSource.CreateLinkedTokenSource(ended.Token, connection.Aborted);
        try
        {
            StartStream(response, stream.StreamId);
            await foreach (var e in connection.Events.ReadAllAsync(cut.Token).ConfigureAwait(false))
            {
                if (V1EventMapping.ToV1(e, master.Options, master.MasterId, partitionAware) is not { } v1)
                {
                    continue;
                }

                await WriteAsync(body, v1, cut.Token).ConfigureAwait(false);

                // Mesos sends a heartbeat right after SUBSCRIBED, so a client knows the interval works at once.
                if (v1.Type == "SUBSCRIBED")
                {
                    await WriteAsync(body, V1EventMapping.Heartbeat, cut.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The framework hung up, or the host stops.
        }
        catch (IOException)
        {
            // The connection broke mid-write.
        }
        finally
        {
            streams.Remove(stream);
            master.Disconnect(connection);
        }
    }

    private static void StartStream(HttpResponse response, string streamId)
    {
        response.StatusCode = 200;
        response.ContentType = V1MediaTypes.Json;
        response.Headers[V1MediaTypes.StreamIdHeader] = streamId;
    }

    /// <summary>One record per write (and so one HTTP chunk): some clients cannot parse a record split over chunks.</summary>
    private static async Task WriteAsync(Stream body, V1Event e, CancellationToken cancellationToken)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(e, V1JsonContext.Default.V1Event);
        await body.WriteAsync(RecordIo.Frame(json), cancellationToken).ConfigureAwait(false);
        await body.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    internal static Task TextAsync(HttpContext context, int status, string text)
    {
        context.Response.StatusCode = status;
        if (text.Length == 0)
        {
            return Task.CompletedTask;
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.Body.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();
    }
}
