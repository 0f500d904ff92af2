using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Minuet.ControlPlane.Master;

namespace Minuet.ControlPlane.Api;

/// <summary>
/// The framework API (a simplified Mesos scheduler API, documented in Master/README.md): SUBSCRIBE opens a
/// newline-delimited JSON event stream; every other call is a POST answered 202 or a JSON 4xx.
/// </summary>
internal static class SchedulerEndpoints
{
    public const string Prefix = "/api/v1/scheduler";

    public static void Map(WebApplication app, MasterCore master)
    {
        app.MapPost(Prefix + "/subscribe", context => SubscribeAsync(context, master));
        MapCall(app, master, "accept", MasterApiJsonContext.Default.AcceptRequest, r => r.FrameworkId, (id, r) => master.Accept(id, r));
        MapCall(app, master, "decline", MasterApiJsonContext.Default.DeclineRequest, r => r.FrameworkId, (id, r) => master.Decline(id, r));
        MapCall(app, master, "kill", MasterApiJsonContext.Default.KillRequest, r => r.FrameworkId, (id, r) => master.Kill(id, r));
        MapCall(app, master, "acknowledge", MasterApiJsonContext.Default.AcknowledgeRequest, r => r.FrameworkId, (id, r) => master.Acknowledge(id, r));
        MapCall(app, master, "reconcile", MasterApiJsonContext.Default.ReconcileRequest, r => r.FrameworkId, (id, r) => master.Reconcile(id, r));
        MapCall(app, master, "suppress", MasterApiJsonContext.Default.FrameworkCall, r => r.FrameworkId, (id, _) => master.Suppress(id));
        MapCall(app, master, "revive", MasterApiJsonContext.Default.FrameworkCall, r => r.FrameworkId, (id, _) => master.Revive(id));
        MapCall(app, master, "teardown", MasterApiJsonContext.Default.FrameworkCall, r => r.FrameworkId, (id, _) => master.Teardown(id));
    }

    private static void MapCall<T>(WebApplication app, MasterCore master, string name, JsonTypeInfo<T> info, Func<T, string?> frameworkId, Func<string, T, MasterError?> call)
        where T : class
    {
        app.MapPost($"{Prefix}/{name}", async context =>
        {
            var request = await HttpJson.ReadAsync(context, info, BodyLimits.SchedulerCall, master.Metrics.RequestsTooLarge.Increment).ConfigureAwait(false);
            if (request is null)
            {
                return;
            }

            if (string.IsNullOrWhiteSpace(frameworkId(request)))
            {
                await HttpJson.WriteErrorAsync(context, MasterError.Field("/framework_id", "is required")).ConfigureAwait(false);
                return;
            }

            await HttpJson.WriteOutcomeAsync(context, call(frameworkId(request)!, request)).ConfigureAwait(false);
        });
    }

    private static async Task SubscribeAsync(HttpContext context, MasterCore master)
    {
        var request = await HttpJson.ReadAsync(context, MasterApiJsonContext.Default.SubscribeRequest, BodyLimits.Subscribe, master.Metrics.RequestsTooLarge.Increment).ConfigureAwait(false);
        if (request is null)
        {
            return;
        }

        var (connection, error) = master.Subscribe(request);
        if (error is not null)
        {
            await HttpJson.WriteErrorAsync(context, error).ConfigureAwait(false);
            return;
        }

        context.Response.StatusCode = 200;
        context.Response.ContentType = "application/x-ndjson";
        context.Response.Headers["Mesos-Stream-Id"] = connection!.FrameworkId;
        var body = context.Response.Body;
        // End with the host too (see the endpoint stream): the framework reconnects to the next master run.
        // A subscription cut as too slow also ends a write blocked on a client that does not read.
        using var ended = CancellationTokenSource.CreateLinkedTokenSource(
            context.RequestAborted,
            connection.Aborted,
            context.RequestServices.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>().ApplicationStopping);
        try
        {
            await foreach (var e in connection.Events.ReadAllAsync(ended.Token).ConfigureAwait(false))
            {
                await JsonSerializer.SerializeAsync(body, e, MasterApiJsonContext.Default.SchedulerEvent, ended.Token).ConfigureAwait(false);
                await body.WriteAsync("\n"u8.ToArray(), ended.Token).ConfigureAwait(false);
                if (connection.Events.Count == 0)
                {
                    await body.FlushAsync(ended.Token).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // The framework hung up.
        }
        catch (IOException)
        {
            // The connection broke mid-write.
        }
        finally
        {
            master.Disconnect(connection);
        }
    }
}
