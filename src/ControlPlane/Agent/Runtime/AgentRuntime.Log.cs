using Microsoft.Extensions.Logging;

namespace Minuet.ControlPlane.Agent.Runtime;

/// <summary>Source-generated log messages of the task runtime (event ids 5100-5199).</summary>
internal sealed partial class AgentRuntime
{
    [LoggerMessage(EventId = 5100, Level = LogLevel.Information, Message = "cgroup v1 limits: cpu {Cpu}, memory {Memory}")]
    private static partial void LogCgroups(ILogger logger, bool cpu, bool memory);

    [LoggerMessage(EventId = 5115, Level = LogLevel.Warning, Message = "Tasks run without cpu and memory limits (isolation posix/cpu,posix/mem): {Reason}. Run the agent as root with cgroup v1 for limits; --no-cgroups silences this")]
    private static partial void LogRunningUnlimited(ILogger logger, string reason);

    [LoggerMessage(EventId = 5101, Level = LogLevel.Information, Message = "Launching task {TaskId} ({Name})")]
    private static partial void LogLaunched(ILogger logger, string taskId, string name);

    [LoggerMessage(EventId = 5102, Level = LogLevel.Information, Message = "Task {TaskId} started as process group {Pid}")]
    private static partial void LogStarted(ILogger logger, string taskId, int pid);

    [LoggerMessage(EventId = 5103, Level = LogLevel.Warning, Message = "Task {TaskId} failed to launch: {Message}")]
    private static partial void LogLaunchFailed(ILogger logger, string taskId, string message);

    [LoggerMessage(EventId = 5104, Level = LogLevel.Information, Message = "Killing task {TaskId} (grace {Grace} s)")]
    private static partial void LogKilling(ILogger logger, string taskId, double grace);

    [LoggerMessage(EventId = 5116, Level = LogLevel.Information, Message = "Task {TaskId} is TASK_KILLING: draining {Seconds} s before SIGTERM")]
    private static partial void LogDraining(ILogger logger, string taskId, double seconds);

    [LoggerMessage(EventId = 5117, Level = LogLevel.Warning, Message = "Task {TaskId}: {Problem}")]
    private static partial void LogDrainRefused(ILogger logger, string taskId, string problem);

    [LoggerMessage(EventId = 5105, Level = LogLevel.Information, Message = "Task {TaskId} outlived its grace period: SIGKILL")]
    private static partial void LogEscalating(ILogger logger, string taskId);

    [LoggerMessage(EventId = 5106, Level = LogLevel.Warning, Message = "Signal {Signal} to task {TaskId} failed: errno {Errno}")]
    private static partial void LogSignalFailed(ILogger logger, string taskId, int signal, int errno);

    [LoggerMessage(EventId = 5107, Level = LogLevel.Information, Message = "Task {TaskId} is {State}: {Message}")]
    private static partial void LogTerminal(ILogger logger, string taskId, Master.TaskState state, string message);

    [LoggerMessage(EventId = 5108, Level = LogLevel.Warning, Message = "Task {TaskId} left a cgroup that could not be removed")]
    private static partial void LogCgroupLeft(ILogger logger, string taskId);

    [LoggerMessage(EventId = 5109, Level = LogLevel.Error, Message = "The master rejected update {Uuid} ({State}) of task {TaskId}; dropped")]
    private static partial void LogStatusRejected(ILogger logger, string taskId, string state, string uuid);

    [LoggerMessage(EventId = 5110, Level = LogLevel.Information, Message = "Task {TaskId} health: healthy={Healthy} ({Cause})")]
    private static partial void LogHealth(ILogger logger, string taskId, bool healthy, string cause);

    [LoggerMessage(EventId = 5111, Level = LogLevel.Information, Message = "Re-adopted task {TaskId} (pid {Pid})")]
    private static partial void LogAdopted(ILogger logger, string taskId, int pid);

    [LoggerMessage(EventId = 5112, Level = LogLevel.Error, Message = "Unreadable task checkpoint: {Error}")]
    private static partial void LogCheckpointUnreadable(ILogger logger, string error);

    [LoggerMessage(EventId = 5113, Level = LogLevel.Error, Message = "Agent background work failed")]
    private static partial void LogBackgroundFailure(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 5114, Level = LogLevel.Warning, Message = "Agent runtime background work did not stop within 15 s")]
    private static partial void LogSlowStop(ILogger logger);
    [LoggerMessage(EventId = 5164, Level = LogLevel.Information, Message = "Task {TaskId} started as container {Name} ({ContainerId})")]
    private static partial void LogDockerStarted(ILogger logger, string taskId, string name, string containerId);

    [LoggerMessage(EventId = 5165, Level = LogLevel.Information, Message = "Pulling image {Image}")]
    private static partial void LogPulling(ILogger logger, string image);

    [LoggerMessage(EventId = 5166, Level = LogLevel.Warning, Message = "Waiting for the container of task {TaskId} failed: {Error}; retrying")]
    private static partial void LogDockerWaitFailed(ILogger logger, string taskId, string error);

    [LoggerMessage(EventId = 5167, Level = LogLevel.Warning, Message = "Container {ContainerId} of task {TaskId} could not be removed: {Error}")]
    private static partial void LogDockerRemoveFailed(ILogger logger, string taskId, string containerId, string error);

    [LoggerMessage(EventId = 5168, Level = LogLevel.Warning, Message = "Following the logs of task {TaskId} failed: {Error}")]
    private static partial void LogDockerLogsFailed(ILogger logger, string taskId, string error);

    [LoggerMessage(EventId = 5169, Level = LogLevel.Warning, Message = "{Signal} to the container of task {TaskId} failed: {Error}")]
    private static partial void LogDockerSignalFailed(ILogger logger, string taskId, string signal, string error);

    [LoggerMessage(EventId = 5170, Level = LogLevel.Information, Message = "Re-adopted task {TaskId} (container {ContainerId})")]
    private static partial void LogDockerAdopted(ILogger logger, string taskId, string containerId);

    [LoggerMessage(EventId = 5171, Level = LogLevel.Warning, Message = "Removing orphan container {ContainerId} of task {TaskId} (this agent's label, no checkpoint)")]
    private static partial void LogDockerOrphan(ILogger logger, string containerId, string taskId);
}
