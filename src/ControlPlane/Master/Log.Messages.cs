using Microsoft.Extensions.Logging;

namespace Minuet.ControlPlane.Master;

/// <summary>Log messages of framework ↔ executor messages and of operator state in the store (ids 5480-5489).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5480, Level = LogLevel.Warning, Message = "Message of framework {FrameworkId} for executor {ExecutorId} dropped: {Why}")]
    public static partial void FrameworkMessageDropped(ILogger logger, string frameworkId, string executorId, string why);

    [LoggerMessage(EventId = 5481, Level = LogLevel.Warning, Message = "Message of executor {ExecutorId} on agent {AgentId} dropped: {Why}")]
    public static partial void ExecutorMessageDropped(ILogger logger, string executorId, string agentId, string why);

    [LoggerMessage(EventId = 5482, Level = LogLevel.Warning, Message = "Message of framework {FrameworkId} for executor {ExecutorId} on agent {AgentId} not delivered: {Error}")]
    public static partial void FrameworkMessageNotDelivered(ILogger logger, string frameworkId, string executorId, string agentId, string error);

    [LoggerMessage(EventId = 5483, Level = LogLevel.Warning, Message = "Stored quotas or gone agents could not be read and are ignored: {Error}")]
    public static partial void StoreMetaUnreadable(ILogger logger, string error);
}
