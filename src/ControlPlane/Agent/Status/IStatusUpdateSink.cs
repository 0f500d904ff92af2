using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Status;

/// <summary>What became of one attempt to deliver a status update.</summary>
internal enum StatusSendOutcome
{
    /// <summary>The master recorded it (answered with the same uuid): drop it from the queue.</summary>
    Acknowledged,

    /// <summary>Not delivered (master down, unknown agent, timeout): try again after a backoff.</summary>
    Retry,

    /// <summary>The master refused it as invalid: retrying cannot help, drop it and log.</summary>
    Rejected,
}

/// <summary>Where the agent's status updates go: the master connection, or a recorder in tests.</summary>
internal interface IStatusUpdateSink
{
    Task<StatusSendOutcome> SendAsync(TaskStatusUpdate update, CancellationToken cancellationToken);
}
