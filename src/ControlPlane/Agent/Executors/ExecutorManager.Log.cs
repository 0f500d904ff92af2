using Microsoft.Extensions.Logging;

namespace Minuet.ControlPlane.Agent.Executors;

/// <summary>Source-generated log messages of custom executors (event ids 5700-5719).</summary>
internal sealed partial class ExecutorManager
{
    [LoggerMessage(EventId = 5700, Level = LogLevel.Information, Message = "Task {TaskId} goes to executor {ExecutorId} of framework {FrameworkId} (starting it: {Starting})")]
    private static partial void LogTaskToExecutor(ILogger logger, string taskId, string executorId, string frameworkId, bool starting);

    [LoggerMessage(EventId = 5701, Level = LogLevel.Information, Message = "Executor {ExecutorId} of framework {FrameworkId} started as process group {Pid} in {Directory}")]
    private static partial void LogExecutorStarted(ILogger logger, string executorId, string frameworkId, int pid, string directory);

    [LoggerMessage(EventId = 5702, Level = LogLevel.Warning, Message = "Executor {ExecutorId} of framework {FrameworkId} failed to start: {Error}")]
    private static partial void LogExecutorFailed(ILogger logger, string executorId, string frameworkId, string error);

    [LoggerMessage(EventId = 5703, Level = LogLevel.Information, Message = "Executor {ExecutorId} of framework {FrameworkId} subscribed")]
    private static partial void LogSubscribed(ILogger logger, string executorId, string frameworkId);

    [LoggerMessage(EventId = 5704, Level = LogLevel.Warning, Message = "Executor {ExecutorId} of framework {FrameworkId} did not subscribe within {Seconds} s; killing it")]
    private static partial void LogRegistrationTimeout(ILogger logger, string executorId, string frameworkId, double seconds);

    [LoggerMessage(EventId = 5705, Level = LogLevel.Information, Message = "Executor {ExecutorId} of framework {FrameworkId} ended with status {ExitCode} ({Why})")]
    private static partial void LogExecutorExited(ILogger logger, string executorId, string frameworkId, int exitCode, string why);

    [LoggerMessage(EventId = 5706, Level = LogLevel.Warning, Message = "Message of executor {ExecutorId} of framework {FrameworkId} ({Length} characters) not delivered to the master; dropped, as Mesos drops it")]
    private static partial void LogMessageDropped(ILogger logger, string executorId, string frameworkId, int length);

    [LoggerMessage(EventId = 5707, Level = LogLevel.Warning, Message = "Message of framework {FrameworkId} for executor {ExecutorId} dropped: {Why}")]
    private static partial void LogFrameworkMessageDropped(ILogger logger, string frameworkId, string executorId, string why);

    [LoggerMessage(EventId = 5708, Level = LogLevel.Information, Message = "Executor {ExecutorId} of framework {FrameworkId} (process group {Pid}) outlived the agent's restart; waiting for it to subscribe again")]
    private static partial void LogExecutorRecovered(ILogger logger, string executorId, string frameworkId, int pid);

    [LoggerMessage(EventId = 5709, Level = LogLevel.Warning, Message = "Executor {ExecutorId} of framework {FrameworkId} ended while the agent was not running; its tasks fail")]
    private static partial void LogExecutorGoneOnRecovery(ILogger logger, string executorId, string frameworkId);

    [LoggerMessage(EventId = 5710, Level = LogLevel.Warning, Message = "Executor {ExecutorId} of framework {FrameworkId} did not subscribe again within {Seconds} s of the agent's restart; killing it")]
    private static partial void LogReregistrationTimeout(ILogger logger, string executorId, string frameworkId, double seconds);

    [LoggerMessage(EventId = 5711, Level = LogLevel.Warning, Message = "Task {TaskId} of executor {ExecutorId} dropped: the executor subscribed again after the agent's restart without it")]
    private static partial void LogTaskUnknownToExecutor(ILogger logger, string taskId, string executorId);
}
