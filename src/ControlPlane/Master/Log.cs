using Microsoft.Extensions.Logging;

namespace Minuet.ControlPlane.Master;

/// <summary>The master's log events, source-generated with stable ids.</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 5001, Level = LogLevel.Information, Message = "Agent {AgentId} ({Hostname}, {Address}) {What}")]
    public static partial void AgentRegistered(ILogger logger, string agentId, string hostname, string address, string what);

    [LoggerMessage(EventId = 5002, Level = LogLevel.Warning, Message = "Agent {AgentId} marked unreachable: {Why}")]
    public static partial void AgentUnreachable(ILogger logger, string agentId, string why);

    [LoggerMessage(EventId = 5003, Level = LogLevel.Information, Message = "Framework {FrameworkId} ({Name}) subscribed in role {Role}")]
    public static partial void FrameworkSubscribed(ILogger logger, string frameworkId, string name, string role);

    [LoggerMessage(EventId = 5004, Level = LogLevel.Debug, Message = "Status {State} for task {TaskId} ignored: {Reason}")]
    public static partial void UpdateIgnored(ILogger logger, string taskId, string state, string reason);

    [LoggerMessage(EventId = 5005, Level = LogLevel.Warning, Message = "Call to agent {AgentId} for task {TaskId} failed: {Error}")]
    public static partial void AgentCallFailed(ILogger logger, string agentId, string taskId, string error);

    [LoggerMessage(EventId = 5006, Level = LogLevel.Error, Message = "{Message}; the change is refused or kept for a retry")]
    public static partial void StoreWriteFailed(ILogger logger, string message);

    [LoggerMessage(EventId = 5007, Level = LogLevel.Information, Message = "Offer {OfferId} to framework {FrameworkId} rescinded: not answered within {Seconds} s (--offer-timeout)")]
    public static partial void OfferTimedOut(ILogger logger, string offerId, string frameworkId, double seconds);

    [LoggerMessage(EventId = 5008, Level = LogLevel.Warning, Message = "Framework {FrameworkId} disconnected: {Pending} events unread (it is too slow); it must subscribe again and reconcile")]
    public static partial void FrameworkTooSlow(ILogger logger, string frameworkId, int pending);

    [LoggerMessage(EventId = 5009, Level = LogLevel.Information, Message = "State store writes succeed again")]
    public static partial void StoreRecovered(ILogger logger);
}
