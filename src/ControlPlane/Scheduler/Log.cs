using Microsoft.Extensions.Logging;

namespace Minuet.ControlPlane.Scheduler;

/// <summary>Scheduler log messages (stable event ids 6000-6099).</summary>
internal static partial class Log
{
    [LoggerMessage(6000, LogLevel.Information, "Task {TaskId} ended {State} ({Message}); app failures in a row: {Failures}")]
    public static partial void TaskFailed(ILogger logger, string taskId, string state, string message, int failures);

    [LoggerMessage(6001, LogLevel.Information, "Deployment {DeploymentId} ended, success: {Success}")]
    public static partial void DeploymentEnded(ILogger logger, string deploymentId, bool success);

    [LoggerMessage(6002, LogLevel.Warning, "Master refused {Call}: {Message}")]
    public static partial void MasterRefused(ILogger logger, string call, string message);

    [LoggerMessage(6003, LogLevel.Information, "Recovered {Apps} apps, {Tasks} tasks, {Deployments} deployments; framework {FrameworkId}")]
    public static partial void Recovered(ILogger logger, int apps, int tasks, int deployments, string frameworkId);

    [LoggerMessage(6004, LogLevel.Information, "Killing task {TaskId}: health check {Check} failed too often ({Cause})")]
    public static partial void UnhealthyKill(ILogger logger, string taskId, int check, string cause);

    [LoggerMessage(6005, LogLevel.Warning, "Killing task {TaskId}: still {State} after the task launch timeout ({Seconds} s)")]
    public static partial void TaskOverdue(ILogger logger, string taskId, string state, double seconds);

    [LoggerMessage(6006, LogLevel.Error, "Store write failed; the change is undone and refused until the store can write: {Message}")]
    public static partial void StoreWriteFailed(ILogger logger, string message);

    [LoggerMessage(6007, LogLevel.Warning, "Store writes again (was: {Message}); the whole state is stored")]
    public static partial void StoreRecovered(ILogger logger, string message);
}
