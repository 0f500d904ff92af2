using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Api;

/// <summary>The master's side of the agent protocol (src/ControlPlane/Protocol/README.md).</summary>
internal static class AgentEndpoints
{
    public static void Map(WebApplication app, MasterCore master)
    {
        app.MapPost(ProtocolRoutes.Register, async context =>
        {
            var request = await HttpJson.ReadAsync(context, ProtocolJsonContext.Default.RegisterAgentRequest, BodyLimits.AgentRegistration, master.Metrics.RequestsTooLarge.Increment).ConfigureAwait(false);
            if (request is null)
            {
                return;
            }

            var (response, error) = master.RegisterAgent(request);
            if (error is not null)
            {
                await HttpJson.WriteErrorAsync(context, error).ConfigureAwait(false);
                return;
            }

            await HttpJson.WriteAsync(context, response!, ProtocolJsonContext.Default.RegisterAgentResponse).ConfigureAwait(false);
        });

        app.MapPost(ProtocolRoutes.HeartbeatTemplate, async context =>
        {
            var agentId = (string)context.Request.RouteValues["agentId"]!;
            var request = await HttpJson.ReadAsync(context, ProtocolJsonContext.Default.HeartbeatRequest, BodyLimits.AgentHeartbeat, master.Metrics.RequestsTooLarge.Increment).ConfigureAwait(false);
            if (request is null)
            {
                return;
            }

            var (response, error) = master.Heartbeat(agentId, request);
            if (error is not null)
            {
                await HttpJson.WriteErrorAsync(context, error).ConfigureAwait(false);
                return;
            }

            await HttpJson.WriteAsync(context, response!, ProtocolJsonContext.Default.HeartbeatResponse).ConfigureAwait(false);
        });

        app.MapPost(ProtocolRoutes.StatusTemplate, async context =>
        {
            var agentId = (string)context.Request.RouteValues["agentId"]!;
            var update = await HttpJson.ReadAsync(context, ProtocolJsonContext.Default.TaskStatusUpdate, BodyLimits.StatusUpdate, master.Metrics.RequestsTooLarge.Increment).ConfigureAwait(false);
            if (update is null)
            {
                return;
            }

            var (ack, error) = master.StatusUpdate(agentId, update);
            if (error is not null)
            {
                await HttpJson.WriteErrorAsync(context, error).ConfigureAwait(false);
                return;
            }

            await HttpJson.WriteAsync(context, ack!, ProtocolJsonContext.Default.StatusAcknowledgement).ConfigureAwait(false);
        });

        app.MapPost(ProtocolRoutes.ExecutorMessageTemplate, async context =>
        {
            var agentId = (string)context.Request.RouteValues["agentId"]!;
            var message = await HttpJson.ReadAsync(context, ProtocolJsonContext.Default.FrameworkMessage, BodyLimits.StatusUpdate, master.Metrics.RequestsTooLarge.Increment).ConfigureAwait(false);
            if (message is null)
            {
                return;
            }

            var error = master.MessageFromExecutor(agentId, message);
            if (error is not null)
            {
                await HttpJson.WriteErrorAsync(context, error).ConfigureAwait(false);
                return;
            }

            context.Response.StatusCode = StatusCodes.Status202Accepted;
        });
    }
}
