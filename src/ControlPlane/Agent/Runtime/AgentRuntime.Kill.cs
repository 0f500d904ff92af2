using Minuet.ControlPlane.Agent.Cgroups;
using Minuet.ControlPlane.Agent.Processes;
using Minuet.ControlPlane.Agent.Tasks;
using Minuet.ControlPlane.Master;

namespace Minuet.ControlPlane.Agent.Runtime;

/// <summary>
/// Killing: TASK_KILLING, then (after the task's <see cref="KillDrain"/> delay, if it asks for one) SIGTERM to the task's
/// process group, SIGKILL to the group and its cgroups after the grace period.
/// </summary>
internal sealed partial class AgentRuntime
{
    /// <summary>Asks a task to stop; <paramref name="gracePeriodSeconds"/> overrides the launch's grace period.</summary>
    public KillOutcome Kill(string taskId, double? gracePeriodSeconds = null, string? reason = null)
    {
        if (!_tasks.TryGetValue(taskId, out var task))
        {
            return LatestStatus(taskId) is null ? KillOutcome.Unknown : KillOutcome.AlreadyTerminal;
        }

        bool signalNow;
        double drain = 0;
        lock (task.Gate)
        {
            if (task.TerminalRecorded)
            {
                return KillOutcome.AlreadyTerminal;
            }

            if (task.KillRequested)
            {
                return KillOutcome.Accepted;
            }

            task.KillRequested = true;
            task.KillReason = reason;
            task.KillRequestedAt = Now();
            task.KillGraceSeconds = gracePeriodSeconds ?? task.Launch.KillGracePeriodSeconds ?? _options.DefaultKillGrace.TotalSeconds;
            if (task.Launch.Executor is null && gracePeriodSeconds is not 0)
            {
                // An explicit zero grace is a forced kill: no drain either.
                (drain, string? drainError) = KillDrain.Of(task.Launch.Labels);
                if (drainError is not null)
                {
                    LogDrainRefused(_logger, taskId, drainError);
                }

                task.KillGraceSeconds += drain;
            }

            if (task.Launch.Executor is null)
            {
                Enqueue(task, TaskState.Killing, reason, "Killing the task");
            }

            signalNow = task.Pid is not null || (task.IsDocker && task.DockerContainer is not null && task.StartedAt is not null);
        }

        if (task.Launch.Executor is not null)
        {
            // Its executor kills it (a KILL event) and reports TASK_KILLED.
            Executors.Kill(task, gracePeriodSeconds);
            return KillOutcome.Accepted;
        }

        LogKilling(_logger, taskId, task.KillGraceSeconds ?? 0);
        if (signalNow && drain > 0)
        {
            LogDraining(_logger, taskId, drain);
            Track(async () =>
            {
                // The task's lifetime ends this wait early if the task exits on its own meanwhile.
                await Task.Delay(TimeSpan.FromSeconds(drain), _time, task.Lifetime.Token).ConfigureAwait(false);
                BeginSignals(task);
            });
        }
        else if (signalNow)
        {
            BeginSignals(task);
        }

        // Without a pid the task is still starting: StartAsync sees KillRequested and reports KILLED itself.
        return KillOutcome.Accepted;
    }

    private void BeginSignals(AgentTask task)
    {
        if (task.IsDocker)
        {
            BeginDockerKill(task);
        }
        else
        {
            BeginKill(task);
        }
    }

    /// <summary>SIGTERM now, SIGKILL once what is left of the grace period has passed (unless the task ended).</summary>
    private void BeginKill(AgentTask task)
    {
        int pid;
        double remaining;
        lock (task.Gate)
        {
            if (task.Pid is not { } p || task.TerminalRecorded)
            {
                return;
            }

            pid = p;
            double grace = task.KillGraceSeconds ?? _options.DefaultKillGrace.TotalSeconds;
            remaining = Math.Max(0, grace - (Now() - (task.KillRequestedAt ?? Now())));
        }

        SignalGroup(task, pid, AgentInterop.SIGTERM);
        Track(async () =>
        {
            await Task.Delay(TimeSpan.FromSeconds(remaining), _time, task.Lifetime.Token).ConfigureAwait(false);
            bool ended;
            lock (task.Gate)
            {
                ended = task.TerminalRecorded;
            }

            if (!ended)
            {
                LogEscalating(_logger, task.TaskId);
                SignalGroup(task, pid, AgentInterop.SIGKILL);
                KillCgroupMembers(task);
            }
        });
    }

    /// <summary>Signals the group led by <paramref name="pid"/>, but only while pid is still the task's process.</summary>
    private void SignalGroup(AgentTask task, int pid, int signal)
    {
        long? start;
        lock (task.Gate)
        {
            start = task.StartTime;
        }

        if (!ProcStat.IsTaskGroup(pid, start))
        {
            return; // The pid was reused by an unrelated process; never signal it.
        }

        int errno = AgentInterop.Kill(-pid, signal);
        if (errno != 0 && errno != AgentInterop.ESRCH)
        {
            LogSignalFailed(_logger, task.TaskId, signal, errno);
        }
    }

    /// <summary>SIGKILL to whatever is still in the task's cgroups (children that left the process group).</summary>
    private static void KillCgroupMembers(AgentTask task)
    {
        TaskCgroups cgroups;
        lock (task.Gate)
        {
            cgroups = task.Cgroups;
        }

        foreach (int member in CgroupV1.Pids(cgroups))
        {
            AgentInterop.Kill(member, AgentInterop.SIGKILL);
        }
    }
}
