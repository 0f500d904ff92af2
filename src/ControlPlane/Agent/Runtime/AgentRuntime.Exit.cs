using System.Diagnostics;
using Minuet.ControlPlane.Agent.Cgroups;
using Minuet.ControlPlane.Agent.Processes;
using Minuet.ControlPlane.Agent.Tasks;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Runtime;

/// <summary>Exits: watch the process, clean up what it leaves, and record exactly one terminal state.</summary>
internal sealed partial class AgentRuntime
{
    private async Task WatchChildAsync(AgentTask task, Process child)
    {
        try
        {
            await child.WaitForExitAsync(_stopping.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return; // The runtime is being disposed: the process keeps running and the next runtime adopts it.
        }

        // The wrapper records the command's own status; the wrapper's exit code stands in when SIGKILL took it too.
        int code = _store.ReadExitStatus(task.TaskId) ?? child.ExitCode;
        await HandleExitAsync(task, code).ConfigureAwait(false);
    }

    /// <summary>Re-adopted processes are not our children: poll their identity until they are gone.</summary>
    private async Task WatchAdoptedAsync(AgentTask task, int pid, long startTime)
    {
        while (ProcStat.IsSameLiveProcess(pid, startTime))
        {
            await Task.Delay(_options.AdoptedPollInterval, _time, _stopping.Token).ConfigureAwait(false);
        }

        await HandleExitAsync(task, _store.ReadExitStatus(task.TaskId)).ConfigureAwait(false);
    }

    /// <summary>Decides the terminal state of a task whose process ended (<paramref name="exitCode"/> null = unknown).</summary>
    private async Task HandleExitAsync(AgentTask task, int? exitCode)
    {
        bool killed;
        string? killReason;
        lock (task.Gate)
        {
            killed = task.KillRequested;
            killReason = task.KillReason;
        }

        bool oom = CgroupV1.OomKilled(task.Cgroups);
        await CleanupAsync(task).ConfigureAwait(false);
        string codeText = exitCode is { } c ? $"status {c}" : "an unknown status";
        if (killed)
        {
            RecordTerminal(task, TaskState.Killed, killReason, $"Command terminated after a kill request ({codeText})", exitCode);
        }
        else if (exitCode == 0)
        {
            RecordTerminal(task, TaskState.Finished, null, "Command exited with status 0", exitCode);
        }
        else if (oom)
        {
            RecordTerminal(task, TaskState.Failed, TaskStatusReasons.ContainerLimitationMemory,
                $"Memory limit exceeded: the kernel OOM-killed the task (exited with {codeText})", exitCode, source: "SOURCE_SLAVE");
        }
        else if (exitCode is null)
        {
            RecordTerminal(task, TaskState.Failed, TaskStatusReasons.ExecutorTerminated,
                "The task process ended while the agent was not running; its exit status is unknown", null, source: "SOURCE_SLAVE");
        }
        else
        {
            RecordTerminal(task, TaskState.Failed, TaskStatusReasons.CommandExecutorFailed, $"Command exited with status {exitCode}", exitCode);
        }
    }

    /// <summary>
    /// After the task's lead process is gone: stop its checks, SIGKILL anything left in its group and cgroups,
    /// remove the cgroups and the network namespace. Safe to call more than once.
    /// </summary>
    private async Task CleanupAsync(AgentTask task)
    {
        int? pid;
        long? start;
        string? netns;
        string? ip;
        TaskCgroups cgroups;
        lock (task.Gate)
        {
            pid = task.Pid;
            start = task.StartTime;
            netns = task.NetnsName;
            ip = task.IpAddress;
            cgroups = task.Cgroups;
        }

        await task.Lifetime.CancelAsync().ConfigureAwait(false);
        if (pid is { } p && ProcStat.IsTaskGroup(p, start))
        {
            // Leftovers of the group (background children) die with the task, as Mesos destroys the container.
            // Wait briefly until the kernel has them gone, so "terminal" means nothing of the task still runs.
            for (int attempt = 0; attempt < 40 && AgentInterop.Kill(-p, AgentInterop.SIGKILL) == 0 && ProcStat.GroupHasLiveMembers(p); attempt++)
            {
                await Task.Delay(25, CancellationToken.None).ConfigureAwait(false);
            }
        }

        for (int attempt = 0; attempt < 40; attempt++)
        {
            var members = CgroupV1.Pids(cgroups);
            if (members.Count == 0)
            {
                break;
            }

            foreach (int member in members)
            {
                AgentInterop.Kill(member, AgentInterop.SIGKILL);
            }

            await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
        }

        if (!CgroupV1.Remove(cgroups))
        {
            LogCgroupLeft(_logger, task.TaskId);
        }

        if (netns is not null && _network is not null)
        {
            await _network.DetachAsync(netns, ip, CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>Records the task's one terminal update; later calls for the same task change nothing.</summary>
    private void RecordTerminal(AgentTask task, TaskState state, string? reason, string message, int? exitCode, string source = "SOURCE_EXECUTOR")
    {
        lock (task.Gate)
        {
            if (task.TerminalRecorded)
            {
                return;
            }

            Enqueue(task, state, reason, message, exitCode, source);
        }

        LogTerminal(_logger, task.TaskId, state, message);
    }
}
