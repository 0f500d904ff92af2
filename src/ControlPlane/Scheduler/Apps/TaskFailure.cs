namespace Minuet.ControlPlane.Scheduler.Apps;

/// <summary>Marathon's TaskFailure: the last task of an app that failed, with the agent's or the master's message.</summary>
internal sealed record TaskFailure(string AppId, string TaskId, string State, string Message, string Host, string AgentId, DateTimeOffset Timestamp, DateTimeOffset Version);
