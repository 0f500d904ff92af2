using Microsoft.Extensions.Logging;

namespace Minuet.ControlPlane.Agent.MasterLink;

/// <summary>Log messages of the master connection (event ids 5200-5299).</summary>
internal sealed partial class MasterConnection
{
    [LoggerMessage(EventId = 5200, Level = LogLevel.Information, Message = "Agent {AgentId} {How} with {Tasks} task(s) at master {MasterId}")]
    private static partial void LogRegistered(ILogger logger, string agentId, string how, int tasks, string masterId);

    [LoggerMessage(EventId = 5201, Level = LogLevel.Error, Message = "The master refused the registration: {Message} {Details}")]
    private static partial void LogRegistrationRefused(ILogger logger, string message, string details);

    [LoggerMessage(EventId = 5202, Level = LogLevel.Warning, Message = "Master {Master} unreachable ({Reason}); retrying")]
    private static partial void LogMasterUnreachable(ILogger logger, Uri master, string reason);

    [LoggerMessage(EventId = 5203, Level = LogLevel.Information, Message = "Re-registering: {Why}")]
    private static partial void LogReregistering(ILogger logger, string why);

    [LoggerMessage(EventId = 5204, Level = LogLevel.Information, Message = "The master asked to kill task {TaskId}")]
    private static partial void LogMasterKill(ILogger logger, string taskId);

    [LoggerMessage(EventId = 5205, Level = LogLevel.Error, Message = "The master refused a status update of task {TaskId}: {Message}")]
    private static partial void LogStatusRefused(ILogger logger, string taskId, string message);

    [LoggerMessage(EventId = 5206, Level = LogLevel.Information, Message = "The leading master is now {Leader} (was {Previous}); re-registering there")]
    private static partial void LogLeaderChanged(ILogger logger, Uri leader, Uri previous);

    [LoggerMessage(EventId = 5207, Level = LogLevel.Warning, Message = "No leading master found ({Why}); retrying")]
    private static partial void LogNoLeader(ILogger logger, string why);
}
