using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Minuet.ControlPlane.Api.Operator;

namespace Minuet.ControlPlane.Agent.Executors;

/// <summary>
/// <c>POST /api/v1/executor</c> and <c>/slave(1)/api/v1/executor</c> (src/slave/http.cpp <c>executor</c>): JSON calls
/// naming <c>framework_id</c> and <c>executor_id</c>; <c>Accept</c> is checked on SUBSCRIBE only; 400 for an unknown
/// framework or executor, 403 for calls before SUBSCRIBE, 202 for UPDATE, MESSAGE and HEARTBEAT, 501 for UNKNOWN.
/// SUBSCRIBE answers 200 with the RecordIO event stream (HEARTBEAT every 30 min, as Mesos).
/// </summary>
internal static class ExecutorHttpApi
{
    private static readonly IReadOnlySet<string> KnownTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "UNKNOWN", "SUBSCRIBE", "UPDATE", "MESSAGE", "HEARTBEAT",
    };

    private static readonly TimeSpan HeartbeatInterval = TimeSpan.FromMinutes(30);

    public static void Map(WebApplication app, ExecutorManager executors)
    {
        foreach (var path in new[] { "/api/v1/executor", "/slave(1)/api/v1/executor" })
        {
            app.Map(path, context => HandleAsync(context, executors));
        }
    }

    private static async Task HandleAsync(HttpContext context, ExecutorManager executors)
    {
        if (!executors.Ready)
        {
            await V1Http.PlainAsync(context, 503, "Agent has not finished recovery").ConfigureAwait(false);
            return;
        }

        using var call = await V1Http.ReadCallAsync(context, "Executor::Call", KnownTypes, acceptChecked: false).ConfigureAwait(false);
        if (call is null)
        {
            return;
        }

        if (call.Type == "SUBSCRIBE" && !V1Http.AcceptsJson(context.Request))
        {
            await V1Http.PlainAsync(context, 406, $"Expecting 'Accept' to allow '{V1Http.Protobuf}' or '{V1Http.Json}'").ConfigureAwait(false);
            return;
        }

        if (call.Type == "HEARTBEAT")
        {
            await V1Http.PlainAsync(context, 202, string.Empty).ConfigureAwait(false);
            return;
        }

        string? executorId = V1Http.Id(call.Root, "executor_id");
        string? frameworkId = V1Http.Id(call.Root, "framework_id");
        if (executorId is null || frameworkId is null)
        {
            string missing = executorId is null ? "executor_id" : "framework_id";
            await V1Http.PlainAsync(context, 400, $"Failed to validate Executor::Call: Expecting '{missing}' to be present").ConfigureAwait(false);
            return;
        }

        bool hasBody = call.TryBody(out var body);
        ExecutorCallResult result;
        switch (call.Type)
        {
            case "SUBSCRIBE":
                if (!hasBody)
                {
                    await V1Http.PlainAsync(context, 400, "Failed to validate Executor::Call: Expecting 'subscribe' to be present").ConfigureAwait(false);
                    return;
                }

                var (events, subscribed) = executors.Subscribe(frameworkId, executorId, body);
                if (events is null)
                {
                    await V1Http.PlainAsync(context, subscribed.Status, subscribed.Message).ConfigureAwait(false);
                    return;
                }

                await RecordIoStream.PumpAsync(context, events, HeartbeatInterval, heartbeatAfterFirst: false).ConfigureAwait(false);
                return;
            case "UPDATE":
                result = hasBody && body.TryGetProperty("status", out var status)
                    ? executors.Update(frameworkId, executorId, status)
                    : new ExecutorCallResult(400, "Failed to validate Executor::Call: Expecting 'update' to be present");
                break;
            case "MESSAGE":
                result = hasBody
                    ? executors.Message(frameworkId, executorId, body)
                    : new ExecutorCallResult(400, "Failed to validate Executor::Call: Expecting 'message' to be present");
                break;
            default:
                result = executors.Check(frameworkId, executorId);
                if (result.Status == 202)
                {
                    result = new ExecutorCallResult(501, string.Empty);
                }

                break;
        }

        await V1Http.PlainAsync(context, result.Status, result.Message).ConfigureAwait(false);
    }
}
