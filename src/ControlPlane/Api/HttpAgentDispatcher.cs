using Microsoft.Extensions.Logging;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Api;

/// <summary>
/// Sends launches and kills to agents over HTTP in the background (never under the master lock), retrying transport
/// failures a few times, then tells the master how it went.
/// </summary>
internal sealed class HttpAgentDispatcher(HttpClient http, ILogger logger) : IAgentDispatcher
{
    private static readonly TimeSpan[] Backoff = [TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(3)];
    private readonly AgentClient _client = new(http);

    /// <summary>Set by the host once the master exists (the master needs the dispatcher to be built).</summary>
    public MasterCore? Master { get; set; }

    public void Launch(AgentEndpoint agent, LaunchTaskRequest launch) =>
        _ = RunAsync(agent, launch.TaskId, ct => _client.LaunchAsync(AgentClient.BaseUri(agent.Address, agent.Port), launch, ct),
            result => Master?.OnLaunchResult(launch.TaskId, result));

    public void Kill(AgentEndpoint agent, KillTaskRequest kill) =>
        _ = RunAsync(agent, kill.TaskId, ct => _client.KillAsync(AgentClient.BaseUri(agent.Address, agent.Port), kill, ct),
            result => Master?.OnKillResult(kill.TaskId, result));

    /// <summary>One attempt, no retries: a framework message is best effort in Mesos too.</summary>
    public void Message(AgentEndpoint agent, FrameworkMessage message) => _ = MessageAsync(agent, message);

    private async Task MessageAsync(AgentEndpoint agent, FrameworkMessage message)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        var result = await _client.MessageAsync(AgentClient.BaseUri(agent.Address, agent.Port), message, timeout.Token).ConfigureAwait(false);
        if (!result.Accepted)
        {
            Log.FrameworkMessageNotDelivered(logger, message.FrameworkId, message.ExecutorId, agent.AgentId, result.Error?.Message ?? "unknown");
        }
    }

    private async Task RunAsync(AgentEndpoint agent, string taskId, Func<CancellationToken, Task<AgentCallResult>> call, Action<AgentCallResult> report)
    {
        AgentCallResult result = new(false, null, null);
        for (int attempt = 0; attempt <= Backoff.Length; attempt++)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            result = await call(timeout.Token).ConfigureAwait(false);
            if (result.Accepted || result.Error?.Code != "unreachable" || attempt == Backoff.Length)
            {
                break;
            }

            await Task.Delay(Backoff[attempt]).ConfigureAwait(false);
        }

        if (!result.Accepted)
        {
            Log.AgentCallFailed(logger, agent.AgentId, taskId, result.Error?.Message ?? "unknown");
        }

        report(result);
    }
}
