using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Status;

/// <summary>Where executors' messages for their frameworks go (the master connection); one attempt each, as in Mesos.</summary>
internal interface IExecutorMessageSink
{
    /// <summary>False when the master did not take it (not reachable, or it does not know this agent).</summary>
    Task<bool> SendMessageAsync(FrameworkMessage message, CancellationToken cancellationToken);
}
