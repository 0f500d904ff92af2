using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Minuet.ControlPlane.Agent.Runtime;
using Minuet.ControlPlane.Api;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Http;

/// <summary>The agent's HTTP endpoints (master → agent half of the protocol; see Protocol/README.md).</summary>
internal static class AgentHttpApi
{
    public static void Map(WebApplication app, AgentRuntime runtime, string hostname)
    {
        app.MapPost(ProtocolRoutes.LaunchTask, async context =>
        {
            var launch = await HttpJson.ReadAsync(context, ProtocolJsonContext.Default.LaunchTaskRequest, BodyLimits.Launch).ConfigureAwait(false);
            if (launch is null)
            {
                return;
            }

            var outcome = runtime.Launch(launch);
            switch (outcome.Kind)
            {
                case LaunchOutcomeKind.Accepted:
                    context.Response.StatusCode = StatusCodes.Status202Accepted;
                    break;
                case LaunchOutcomeKind.Duplicate:
                    await WriteErrorAsync(context, 409, ProtocolErrorCodes.DuplicateTask, $"task '{launch.TaskId}' is already known to this agent").ConfigureAwait(false);
                    break;
                case LaunchOutcomeKind.WrongAgent:
                    await WriteErrorAsync(context, 422, ProtocolErrorCodes.WrongAgent, "the launch names another agent", outcome.Errors).ConfigureAwait(false);
                    break;
                default:
                    await WriteErrorAsync(context, 422, ProtocolErrorCodes.Invalid, "the launch is invalid", outcome.Errors).ConfigureAwait(false);
                    break;
            }
        });

        app.MapPost(ProtocolRoutes.FrameworkMessageToExecutor, async context =>
        {
            var message = await HttpJson.ReadAsync(context, ProtocolJsonContext.Default.FrameworkMessage, BodyLimits.Small).ConfigureAwait(false);
            if (message is null)
            {
                return;
            }

            runtime.Executors.Deliver(message);
            context.Response.StatusCode = StatusCodes.Status202Accepted;
        });

        app.MapPost(ProtocolRoutes.KillTaskTemplate, async context =>
        {
            var taskId = (string)context.Request.RouteValues["taskId"]!;
            double? grace = null;
            if (context.Request.ContentLength is > 0 || context.Request.Headers.TransferEncoding.Count > 0)
            {
                var kill = await HttpJson.ReadAsync(context, ProtocolJsonContext.Default.KillTaskRequest, BodyLimits.Small).ConfigureAwait(false);
                if (kill is null)
                {
                    return;
                }

                if (kill.GracePeriodSeconds is < 0)
                {
                    await WriteErrorAsync(context, 422, ProtocolErrorCodes.Invalid, "grace_period_seconds must not be negative",
                        [new FieldError("/grace_period_seconds", ["must not be negative"])]).ConfigureAwait(false);
                    return;
                }

                grace = kill.GracePeriodSeconds;
            }

            if (runtime.Kill(taskId, grace) == KillOutcome.Unknown)
            {
                await WriteErrorAsync(context, 404, ProtocolErrorCodes.UnknownTask, $"task '{taskId}' is not known to this agent").ConfigureAwait(false);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status202Accepted;
        });

        app.MapGet(ProtocolRoutes.AgentState, context => HttpJson.WriteAsync(context,
            new AgentStateResponse
            {
                AgentId = runtime.AgentId,
                Hostname = hostname,
                Tasks = runtime.AllTasks(),
                Flags = Flags(runtime),
                ResourceLimits = runtime.Isolation,
                Docker = runtime.DockerState,
            },
            ProtocolJsonContext.Default.AgentStateResponse));

        app.MapGet("/health", context => context.Response.WriteAsync("ok"));
    }

    private static Dictionary<string, string> Flags(AgentRuntime runtime)
    {
        var flags = new Dictionary<string, string> { ["isolation"] = runtime.Isolation.Isolation, ["containerizers"] = runtime.Containerizers };
        if (runtime.DockerState is { } docker)
        {
            flags["docker_socket"] = docker.Socket;
        }

        return flags;
    }

    private static Task WriteErrorAsync(HttpContext context, int status, string code, string message, IReadOnlyList<FieldError>? details = null) =>
        HttpJson.WriteAsync(context, new ProtocolError { Message = message, Code = code, Details = details ?? [] },
            ProtocolJsonContext.Default.ProtocolError, status);
}
