using Minuet.ControlPlane.Agent.Executors;
using Minuet.ControlPlane.Agent.Processes;
using Minuet.ControlPlane.Agent.Tasks;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Runtime;

/// <summary>
/// Recovery after an agent restart: read every task checkpoint; a process that is still the same process
/// (pid + /proc start time) is re-adopted; one that ended while the agent was down gets its terminal state
/// from the exit-status file the wrapper wrote; unsent updates are resent. Custom executors that are still running
/// are reconnected with their tasks (<see cref="ExecutorManager.Recover"/>).
/// </summary>
internal sealed partial class AgentRuntime
{
    /// <summary>Loads the agent id and tasks from the work dir. Call once, before accepting launches.</summary>
    public async Task<int> RecoverAsync()
    {
        AgentId ??= _store.LoadAgent().AgentId;
        if (_docker is not null)
        {
            await _docker.DecideAsync().ConfigureAwait(false);
        }

        var (checkpoints, errors) = _store.LoadTasks();
        foreach (var error in errors)
        {
            LogCheckpointUnreadable(_logger, error);
        }

        var (executors, executorErrors) = _store.LoadExecutors();
        foreach (var error in executorErrors)
        {
            LogCheckpointUnreadable(_logger, error);
        }

        Executors.Recover(executors);
        int adopted = 0;
        foreach (var checkpoint in checkpoints)
        {
            var task = AgentTask.FromCheckpoint(checkpoint);
            task.Cgroups = _cgroups?.For(task.TaskId) ?? Cgroups.TaskCgroups.None;
            if (!_tasks.TryAdd(task.TaskId, task))
            {
                continue;
            }

            if (task.Launch.Executor is not null)
            {
                // Run by a custom executor: it goes back to that executor if the executor outlived the agent.
                if (!task.TerminalRecorded && Executors.Adopt(task))
                {
                    adopted++;
                }

                EnsurePump(task);
                continue;
            }

            if (task.IsDocker)
            {
                if (!task.TerminalRecorded)
                {
                    adopted += await RecoverDockerAsync(task).ConfigureAwait(false) ? 1 : 0;
                }

                EnsurePump(task);
                continue;
            }

            if (task.IpAddress is { } ip)
            {
                _network?.Reserve(ip);
            }

            if (task.TerminalRecorded)
            {
                EnsurePump(task);
                continue;
            }

            if (task.Pid is { } pid && task.StartTime is { } start && ProcStat.IsSameLiveProcess(pid, start))
            {
                adopted++;
                LogAdopted(_logger, task.TaskId, pid);
                StartHealthCheck(task);
                Track(() => WatchAdoptedAsync(task, pid, start));
                if (task.KillRequested)
                {
                    BeginKill(task);
                }
            }
            else if (task.Pid is not null)
            {
                await HandleExitAsync(task, _store.ReadExitStatus(task.TaskId)).ConfigureAwait(false);
            }
            else
            {
                // Never started (the agent stopped during launch): anything half-made goes, and the task ends.
                await CleanupAsync(task).ConfigureAwait(false);
                if (task.KillRequested)
                {
                    RecordTerminal(task, TaskState.Killed, TaskStatusReasons.TaskKilledDuringLaunch, "Task killed before it started", null);
                }
                else
                {
                    RecordTerminal(task, TaskState.Failed, TaskStatusReasons.AgentRestarted,
                        "The agent restarted before the task started", null, source: "SOURCE_SLAVE");
                }
            }

            EnsurePump(task);
        }

        await RemoveDockerOrphansAsync().ConfigureAwait(false);
        Executors.StartRecovered();
        return adopted;
    }
}
