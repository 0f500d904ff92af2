using Minuet.ControlPlane.Agent.Processes;
using Minuet.ControlPlane.Agent.Runtime;
using Minuet.ControlPlane.Agent.Tasks;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Executors;

/// <summary>
/// Reconnecting to executors after an agent restart (Mesos's agent recovery with checkpointing): an executor whose
/// process is still the one the agent started is taken back with its checkpointed tasks and waits, as Mesos's
/// "reconnecting" executors do, for the executor to SUBSCRIBE again; one that does not within
/// <see cref="AgentRuntimeOptions.ExecutorReregistrationTimeout"/> is killed and its tasks fail
/// (REASON_EXECUTOR_REREGISTRATION_TIMEOUT). Tasks whose executor died while the agent was down fail at once
/// (REASON_EXECUTOR_TERMINATED). Until recovery ends the executor endpoint answers 503, as Mesos's does.
/// </summary>
internal sealed partial class ExecutorManager
{
    private volatile bool _ready;

    /// <summary>False until recovery has ended (executor calls are answered 503 before then).</summary>
    public bool Ready => _ready;

    /// <summary>Takes back the executors that outlived the previous agent; forgets the checkpoints of the dead ones.</summary>
    public void Recover(IReadOnlyList<ExecutorCheckpoint> checkpoints)
    {
        foreach (var checkpoint in checkpoints)
        {
            var run = ExecutorRun.FromCheckpoint(checkpoint);
            if (checkpoint.Pid is { } pid && checkpoint.StartTime is { } start && ProcStat.IsSameLiveProcess(pid, start))
            {
                lock (_gate)
                {
                    _runs[(run.FrameworkId, run.ExecutorId)] = run;
                }

                LogExecutorRecovered(logger, run.ExecutorId, run.FrameworkId, pid);
            }
            else
            {
                LogExecutorGoneOnRecovery(logger, run.ExecutorId, run.FrameworkId);
                runtime.ForgetExecutor(run);
            }
        }
    }

    /// <summary>
    /// A checkpointed, non-terminal task of a custom executor: it joins its recovered executor (true), or fails
    /// because the executor did not outlive the agent (false, the failure recorded).
    /// </summary>
    public bool Adopt(AgentTask task)
    {
        var run = RunOf(task.Launch);
        if (run is not null)
        {
            lock (run.Gate)
            {
                if (run.Phase != ExecutorPhase.Terminated)
                {
                    run.Tasks[task.TaskId] = task;
                    return true;
                }
            }
        }

        runtime.FailExecutorTask(task, TaskState.Failed, TaskStatusReasons.ExecutorTerminated,
            $"Executor {task.Launch.Executor!.ExecutorId} ended while the agent was not running");
        return false;
    }

    /// <summary>Ends recovery: recovered executors are watched and given the re-registration timeout; calls are served.</summary>
    public void StartRecovered()
    {
        List<ExecutorRun> recovered;
        lock (_gate)
        {
            recovered = [.. _runs.Values.Where(r => r.Recovered)];
        }

        foreach (var run in recovered)
        {
            runtime.WatchRecoveredExecutor(run, run.Pid!.Value, run.StartTime!.Value);
            runtime.RunInBackground(async () =>
            {
                await Task.Delay(runtime.Options.ExecutorReregistrationTimeout, runtime.Time, runtime.Stopping).ConfigureAwait(false);
                lock (run.Gate)
                {
                    if (run.Phase != ExecutorPhase.Registering)
                    {
                        return;
                    }

                    run.TerminationReason = ReregistrationTimeout;
                }

                LogReregistrationTimeout(logger, run.ExecutorId, run.FrameworkId, runtime.Options.ExecutorReregistrationTimeout.TotalSeconds);
                AgentRuntime.SignalExecutor(run, AgentInterop.SIGKILL);
            });
        }

        _ready = true;
    }

    /// <summary>
    /// A recovered executor subscribed again: its tasks that never got an update and that it does not list in
    /// <c>unacknowledged_tasks</c> never reached it, so they are dropped (Mesos: TASK_DROPPED, TASK_LOST for
    /// frameworks that are not partition-aware; the master makes that translation). Call under the run's gate.
    /// </summary>
    private static List<AgentTask> UnknownToExecutor(ExecutorRun run, HashSet<string> unacknowledgedTasks)
    {
        var dropped = new List<AgentTask>();
        foreach (var task in run.Tasks.Values)
        {
            bool staging;
            lock (task.Gate)
            {
                staging = task.LatestStatus is null;
            }

            // Tasks launched since the restart wait in Queued and go to the executor right after SUBSCRIBED.
            if (staging && !unacknowledgedTasks.Contains(task.TaskId) && !run.Queued.Contains(task))
            {
                dropped.Add(task);
            }
        }

        foreach (var task in dropped)
        {
            run.Tasks.Remove(task.TaskId);
        }

        return dropped;
    }
}
