using Microsoft.Extensions.Logging;

namespace Minuet.Platform.Jobs;

/// <summary>The jobs service's log messages (event ids 8100-8199).</summary>
internal static partial class Log
{
    [LoggerMessage(EventId = 8100, Level = LogLevel.Information, Message = "jobs: run {RunId} of {JobId} created ({Trigger}, due {DueAt:o})")]
    public static partial void RunCreated(ILogger logger, string runId, string jobId, string trigger, DateTimeOffset dueAt);

    [LoggerMessage(EventId = 8101, Level = LogLevel.Information, Message = "jobs: run {RunId} of {JobId} finished {Status}{Reason}")]
    public static partial void RunFinished(ILogger logger, string runId, string jobId, string status, string reason);

    [LoggerMessage(EventId = 8102, Level = LogLevel.Information, Message = "jobs: {JobId} skipped the occurrence at {ScheduledAt:o}: {Reason}")]
    public static partial void Skipped(ILogger logger, string jobId, DateTimeOffset scheduledAt, string reason);

    [LoggerMessage(EventId = 8103, Level = LogLevel.Warning, Message = "jobs: could not write the store, kept in memory and retried: {Message}")]
    public static partial void StoreFailed(ILogger logger, string message);

    [LoggerMessage(EventId = 8104, Level = LogLevel.Information, Message = "jobs: reconciling {Count} task(s) with the master before launching anything")]
    public static partial void Reconciling(ILogger logger, int count);

    [LoggerMessage(EventId = 8105, Level = LogLevel.Information, Message = "jobs: reconciliation done, launching")]
    public static partial void Reconciled(ILogger logger);

    [LoggerMessage(EventId = 8106, Level = LogLevel.Warning, Message = "jobs: the master refused {Call}: {Message}")]
    public static partial void MasterRefused(ILogger logger, string call, string message);

    [LoggerMessage(EventId = 8107, Level = LogLevel.Information, Message = "jobs: task {TaskId} of run {RunId} launched on {Host}")]
    public static partial void Launched(ILogger logger, string taskId, string runId, string host);

    [LoggerMessage(EventId = 8108, Level = LogLevel.Warning, Message = "jobs: could not {Role} after an election change: {Message}")]
    public static partial void TransitionFailed(ILogger logger, string role, string message);

    [LoggerMessage(EventId = 8109, Level = LogLevel.Information, Message = "jobs: leading on {Key}: loaded the store, reconciling with the master before launching")]
    public static partial void Leading(ILogger logger, string key);
}
