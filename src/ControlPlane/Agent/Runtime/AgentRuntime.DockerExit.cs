using Minuet.ControlPlane.Agent.Docker;
using Minuet.ControlPlane.Agent.Tasks;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Runtime;

/// <summary>
/// Docker task lives: logs followed into the sandbox files, the exit awaited through the daemon (kept waiting
/// across daemon outages), one terminal state from the exit code and OOM flag, then the container removed.
/// Kills: SIGTERM to the container, SIGKILL after the grace period.
/// </summary>
internal sealed partial class AgentRuntime
{
    private static readonly TimeSpan LogDrainLimit = TimeSpan.FromSeconds(3);

    private async Task WatchContainerAsync(AgentTask task, string id, double logsSince)
    {
        var engine = _docker!.Engine;
        var logs = FollowLogsAsync(task, id, logsSince);
        var retry = TimeSpan.FromMilliseconds(500);
        long? waitedCode = null;
        while (true)
        {
            var waited = await engine.WaitContainerAsync(id, _stopping.Token).ConfigureAwait(false);
            if (waited.Ok)
            {
                waitedCode = waited.Value!.StatusCode;
                break;
            }

            if (waited.NotFound)
            {
                break;
            }

            // The daemon went away (restart, crash): the container's fate is unknown until it answers again.
            if (waited.Unreachable)
            {
                _docker.ReportUnreachable(waited.Error!);
            }

            LogDockerWaitFailed(_logger, task.TaskId, waited.Error!);
            await Task.Delay(retry, _time, _stopping.Token).ConfigureAwait(false);
            retry = TimeSpan.FromTicks(Math.Min(retry.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
        }

        // The log stream ends with the container; let it finish so the sandbox files are complete at the terminal update.
        try
        {
            await logs.WaitAsync(LogDrainLimit, _stopping.Token).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
        }

        var inspect = await engine.InspectContainerAsync(id, _stopping.Token).ConfigureAwait(false);
        int? code = inspect.Ok ? inspect.Value!.State?.ExitCode : (int?)waitedCode;
        bool oom = inspect.Ok && inspect.Value!.State?.OOMKilled == true;

        // Removed before the terminal update, so "terminal" means nothing of the task is left (and the name is free).
        var removed = await engine.RemoveContainerAsync(id, CancellationToken.None).ConfigureAwait(false);
        if (!removed.Ok && !removed.NotFound)
        {
            LogDockerRemoveFailed(_logger, task.TaskId, id, removed.Error!);
        }

        await HandleContainerExitAsync(task, code, oom, gone: !inspect.Ok && inspect.NotFound).ConfigureAwait(false);
    }

    /// <summary>Follows the container's stdout/stderr into the sandbox files (appending, as a restarted agent resumes).</summary>
    private async Task FollowLogsAsync(AgentTask task, string id, double since)
    {
        await Task.Yield();
        string sandbox = _store.Sandbox(task.TaskId);
        await using var stdout = new FileStream(Path.Combine(sandbox, "stdout"), FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        await using var stderr = new FileStream(Path.Combine(sandbox, "stderr"), FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
        try
        {
            var result = await _docker!.Engine.FollowLogsAsync(id, since, stdout, stderr, _stopping.Token).ConfigureAwait(false);
            if (!result.Ok && !result.NotFound)
            {
                LogDockerLogsFailed(_logger, task.TaskId, result.Error!);
            }
        }
        catch (OperationCanceledException)
        {
        }
    }

    /// <summary>
    /// Where a re-adopted container's logs resume: after the last write to the sandbox files (what the previous agent
    /// run copied), so output logged while the agent was down is not lost; from the start when nothing was written.
    /// </summary>
    private double LogsResumePoint(AgentTask task)
    {
        string sandbox = _store.Sandbox(task.TaskId);
        double latest = 0;
        foreach (var file in new[] { "stdout", "stderr" })
        {
            var info = new FileInfo(Path.Combine(sandbox, file));
            if (info.Exists && info.Length > 0)
            {
                latest = Math.Max(latest, new DateTimeOffset(info.LastWriteTimeUtc).ToUnixTimeMilliseconds() / 1000.0);
            }
        }

        return latest;
    }

    /// <summary>Decides the terminal state of a Docker task whose container stopped (<paramref name="exitCode"/> null = unknown).</summary>
    private async Task HandleContainerExitAsync(AgentTask task, int? exitCode, bool oom, bool gone)
    {
        bool killed;
        string? killReason;
        lock (task.Gate)
        {
            killed = task.KillRequested;
            killReason = task.KillReason;
        }

        await CleanupAsync(task).ConfigureAwait(false);
        string codeText = exitCode is { } c ? $"status {c}" : "an unknown status";
        if (killed)
        {
            RecordTerminal(task, TaskState.Killed, killReason, $"Container terminated after a kill request ({codeText})", exitCode);
        }
        else if (gone)
        {
            RecordTerminal(task, TaskState.Failed, TaskStatusReasons.ExecutorTerminated,
                "The container is gone (removed outside the agent); its exit status is unknown", null, source: "SOURCE_SLAVE");
        }
        else if (exitCode == 0)
        {
            RecordTerminal(task, TaskState.Finished, null, "Container exited with status 0", exitCode);
        }
        else if (oom)
        {
            RecordTerminal(task, TaskState.Failed, TaskStatusReasons.ContainerLimitationMemory,
                $"Memory limit exceeded: the kernel OOM-killed the container (exited with {codeText})", exitCode, source: "SOURCE_SLAVE");
        }
        else
        {
            RecordTerminal(task, TaskState.Failed, TaskStatusReasons.CommandExecutorFailed, $"Container exited with {codeText}", exitCode);
        }
    }

    /// <summary>SIGTERM to the container now, SIGKILL once what is left of the grace period has passed (unless it ended).</summary>
    private void BeginDockerKill(AgentTask task)
    {
        string id;
        double remaining;
        lock (task.Gate)
        {
            if (task.DockerContainer is not { } container || task.TerminalRecorded)
            {
                return;
            }

            id = container;
            double grace = task.KillGraceSeconds ?? _options.DefaultKillGrace.TotalSeconds;
            remaining = Math.Max(0, grace - (Now() - (task.KillRequestedAt ?? Now())));
        }

        var engine = _docker!.Engine;
        Track(async () =>
        {
            var term = await engine.KillContainerAsync(id, "SIGTERM", task.Lifetime.Token).ConfigureAwait(false);
            if (!term.Ok && term.Status != 409)
            {
                LogDockerSignalFailed(_logger, task.TaskId, "SIGTERM", term.Error!);
            }

            await Task.Delay(TimeSpan.FromSeconds(remaining), _time, task.Lifetime.Token).ConfigureAwait(false);
            bool ended;
            lock (task.Gate)
            {
                ended = task.TerminalRecorded;
            }

            if (!ended)
            {
                LogEscalating(_logger, task.TaskId);
                var kill = await engine.KillContainerAsync(id, "SIGKILL", task.Lifetime.Token).ConfigureAwait(false);
                if (!kill.Ok && kill.Status != 409)
                {
                    LogDockerSignalFailed(_logger, task.TaskId, "SIGKILL", kill.Error!);
                }
            }
        });
    }
}
