using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Master;

/// <summary>
/// Framework ↔ executor messages (Mesos's <c>Master::message</c> and <c>Master::executorMessage</c>): relayed once,
/// never stored; one whose agent or framework is not connected is dropped with a log line, as Mesos drops it.
/// </summary>
internal sealed partial class MasterCore
{
    /// <summary>A scheduler's MESSAGE call: sent to the agent if it is registered and connected.</summary>
    public void MessageToExecutor(string frameworkId, string agentId, string executorId, string data)
    {
        AgentEndpoint? target = null;
        string? why = null;
        using (Mutate())
        {
            if (!_agents.TryGetValue(agentId, out var agent))
            {
                why = $"agent {agentId} is not registered";
            }
            else if (agent.Status != AgentStatus.Active)
            {
                why = $"agent {agentId} is disconnected";
            }
            else
            {
                target = new AgentEndpoint(agent.Id, agent.Address, agent.Port);
            }
        }

        if (target is { } endpoint)
        {
            _dispatcher.Message(endpoint, new FrameworkMessage { FrameworkId = frameworkId, ExecutorId = executorId, Data = data });
        }
        else
        {
            Log.FrameworkMessageDropped(_log, frameworkId, executorId, why!);
        }
    }

    /// <summary>
    /// An executor's message, relayed by its agent: a MESSAGE event to the framework's current subscription.
    /// Null, or 404 unknown_agent for an agent that is not registered (the agent re-registers, as after a heartbeat 404).
    /// </summary>
    public MasterError? MessageFromExecutor(string agentId, FrameworkMessage message)
    {
        string? why = null;
        using (Mutate())
        {
            if (!_agents.TryGetValue(agentId, out var agent) || agent.Status != AgentStatus.Active)
            {
                return MasterError.NotFound(ProtocolErrorCodes.UnknownAgent,
                    $"agent '{agentId}' is not registered with this master; re-register with its tasks");
            }

            if (!_frameworks.TryGetValue(message.FrameworkId, out var framework))
            {
                why = $"framework {message.FrameworkId} is unknown";
            }
            else if (framework.Connection is not { IsClosed: false } connection)
            {
                why = $"framework {message.FrameworkId} is not connected";
            }
            else
            {
                connection.Send(new SchedulerEvent
                {
                    Type = "MESSAGE",
                    ExecutorMessage = new ExecutorMessageEvent(agentId, message.ExecutorId, message.Data),
                });
            }
        }

        if (why is not null)
        {
            Log.ExecutorMessageDropped(_log, message.ExecutorId, agentId, why);
        }

        return null;
    }
}
