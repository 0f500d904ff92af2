using System.Net;
using System.Net.Http.Json;

namespace Minuet.ControlPlane.Protocol;

/// <summary>What the agent said to a launch or kill: accepted, or a protocol error (or a transport failure as <c>unreachable</c>).</summary>
internal sealed record AgentCallResult(bool Accepted, HttpStatusCode? Status, ProtocolError? Error)
{
    public static AgentCallResult Ok(HttpStatusCode status) => new(true, status, null);
}

/// <summary>
/// The master's side of master → agent calls: launch and kill on <c>http://address:port</c>. Errors are values:
/// a duplicate launch counts as accepted (the agent already has the task); transport failures come back as
/// <c>Accepted = false</c> with code <c>unreachable</c> so the master can mark the task for reconciliation.
/// </summary>
internal sealed class AgentClient(HttpClient http)
{
    public async Task<AgentCallResult> LaunchAsync(Uri agentBase, LaunchTaskRequest launch, CancellationToken cancellationToken)
    {
        return await PostAsync(new Uri(agentBase, ProtocolRoutes.LaunchTask),
            JsonContent.Create(launch, ProtocolJsonContext.Default.LaunchTaskRequest), duplicateIsOk: true, cancellationToken).ConfigureAwait(false);
    }

    public async Task<AgentCallResult> KillAsync(Uri agentBase, KillTaskRequest kill, CancellationToken cancellationToken)
    {
        return await PostAsync(new Uri(agentBase, ProtocolRoutes.KillTask(kill.TaskId)),
            JsonContent.Create(kill, ProtocolJsonContext.Default.KillTaskRequest), duplicateIsOk: false, cancellationToken).ConfigureAwait(false);
    }

    public async Task<AgentCallResult> MessageAsync(Uri agentBase, FrameworkMessage message, CancellationToken cancellationToken)
    {
        return await PostAsync(new Uri(agentBase, ProtocolRoutes.FrameworkMessageToExecutor),
            JsonContent.Create(message, ProtocolJsonContext.Default.FrameworkMessage), duplicateIsOk: false, cancellationToken).ConfigureAwait(false);
    }

    public static Uri BaseUri(string address, int port) =>
        new($"http://{(address.Contains(':', StringComparison.Ordinal) ? $"[{address}]" : address)}:{port}/");

    private async Task<AgentCallResult> PostAsync(Uri uri, HttpContent content, bool duplicateIsOk, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await http.PostAsync(uri, content, cancellationToken).ConfigureAwait(false);
            if (response.IsSuccessStatusCode)
            {
                return AgentCallResult.Ok(response.StatusCode);
            }

            ProtocolError? error = null;
            try
            {
                error = await response.Content.ReadFromJsonAsync(ProtocolJsonContext.Default.ProtocolError, cancellationToken).ConfigureAwait(false);
            }
            catch (System.Text.Json.JsonException)
            {
                // A non-protocol body (a proxy, a crash page): keep the status code, invent a message.
            }

            error ??= new ProtocolError { Message = $"agent answered {(int)response.StatusCode}", Code = "http_" + (int)response.StatusCode };
            bool accepted = duplicateIsOk && error.Code == ProtocolErrorCodes.DuplicateTask;
            return new AgentCallResult(accepted, response.StatusCode, error);
        }
        catch (HttpRequestException e)
        {
            return new AgentCallResult(false, null, new ProtocolError { Message = e.Message, Code = "unreachable" });
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new AgentCallResult(false, null, new ProtocolError { Message = "agent did not answer in time", Code = "unreachable" });
        }
    }
}
