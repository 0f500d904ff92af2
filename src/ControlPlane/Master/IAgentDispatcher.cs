using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Master;

/// <summary>Where an agent is reached.</summary>
internal readonly record struct AgentEndpoint(string AgentId, string Address, int Port);

/// <summary>
/// The master's outgoing calls to agents. Implementations must not block and must not call back into the master
/// synchronously: results come back later through <see cref="MasterCore.OnLaunchResult"/> and
/// <see cref="MasterCore.OnKillResult"/>.
/// </summary>
internal interface IAgentDispatcher
{
    void Launch(AgentEndpoint agent, LaunchTaskRequest launch);

    void Kill(AgentEndpoint agent, KillTaskRequest kill);

    /// <summary>A framework's message for one of its executors: sent once, its failure only logged (Mesos's delivery is best effort).</summary>
    void Message(AgentEndpoint agent, FrameworkMessage message)
    {
    }
}
