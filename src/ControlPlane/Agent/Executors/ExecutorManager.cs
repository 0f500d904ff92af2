using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Minuet.ControlPlane.Agent.Runtime;
using Minuet.ControlPlane.Agent.Tasks;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Executors;

/// <summary>
/// Custom executors on this agent (Mesos's HTTP executor side of src/slave/slave.cpp): a task with an executor starts
/// that executor once per (framework, executor id) in its own sandbox; the executor subscribes to
/// <c>/api/v1/executor</c> and gets its tasks as LAUNCH events (queued until it subscribes), reports them with
/// UPDATE calls (acknowledged once checkpointed, then delivered to the master like every update), and is killed if
/// it does not subscribe within the registration timeout. When its process ends, its live tasks fail with
/// REASON_EXECUTOR_TERMINATED (REASON_EXECUTOR_REGISTRATION_TIMEOUT if it never subscribed in time).
/// Lock order: the manager's gate, then a run's gate, then a task's gate.
/// </summary>
internal sealed partial class ExecutorManager(AgentRuntime runtime, ILogger logger)
{
    private const int CompletedKept = 50;
    private const string RegistrationTimeout = "registration timeout";
    private const string ReregistrationTimeout = "re-registration timeout after the agent restarted";
    private readonly Lock _gate = new();
    private readonly Dictionary<(string FrameworkId, string ExecutorId), ExecutorRun> _runs = new();
    private readonly LinkedList<ExecutorRun> _completed = new();

    /// <summary>Live runs and the most recent terminated ones (for the agent's state), newest last.</summary>
    public (IReadOnlyList<ExecutorRun> Live, IReadOnlyList<ExecutorRun> Completed) Runs()
    {
        lock (_gate)
        {
            return (_runs.Values.ToList(), _completed.ToList());
        }
    }

    /// <summary>The executor of a live task, if it has one.</summary>
    public ExecutorRun? RunOf(LaunchTaskRequest launch)
    {
        if (launch.Executor is null)
        {
            return null;
        }

        lock (_gate)
        {
            return _runs.GetValueOrDefault((launch.FrameworkId, launch.Executor.ExecutorId));
        }
    }

    /// <summary>Hands an accepted launch to its executor, starting the executor first if it is not running.</summary>
    public void Launch(AgentTask task)
    {
        var launch = task.Launch;
        var executor = launch.Executor!;
        var key = (launch.FrameworkId, executor.ExecutorId);
        ExecutorRun run;
        bool start = false;
        lock (_gate)
        {
            if (!_runs.TryGetValue(key, out run!))
            {
                string containerId = Guid.NewGuid().ToString();
                string directory = Path.Combine(runtime.Store.WorkDir, "executors", launch.FrameworkId, executor.ExecutorId, "runs", containerId);
                run = new ExecutorRun(executor, launch.FrameworkId, launch.FrameworkName, launch.AgentId, containerId, directory);
                _runs[key] = run;
                start = true;
            }

            lock (run.Gate)
            {
                run.Tasks[task.TaskId] = task;
                if (run.Phase != ExecutorPhase.Running || !run.Send(ExecutorEvents.Launch(run, launch)))
                {
                    run.Queued.Add(task);
                }
            }
        }

        LogTaskToExecutor(logger, task.TaskId, executor.ExecutorId, launch.FrameworkId, start);
        if (start)
        {
            Start(run);
        }
    }

    /// <summary>
    /// A kill of an executor's task: a KILL event to a subscribed executor (it reports TASK_KILLED); a task still
    /// queued for an executor that has not subscribed ends TASK_KILLED at once.
    /// </summary>
    public void Kill(AgentTask task, double? gracePeriodSeconds)
    {
        var run = RunOf(task.Launch);
        if (run is null)
        {
            runtime.FailExecutorTask(task, TaskState.Killed, TaskStatusReasons.TaskKilledDuringLaunch, "Task killed before its executor ran it");
            return;
        }

        bool queued;
        lock (run.Gate)
        {
            queued = run.Queued.Remove(task);
            if (queued)
            {
                run.Tasks.Remove(task.TaskId);
            }
            else
            {
                run.Send(ExecutorEvents.Kill(task.TaskId, gracePeriodSeconds ?? task.Launch.KillGracePeriodSeconds));
            }
        }

        if (queued)
        {
            runtime.FailExecutorTask(task, TaskState.Killed, TaskStatusReasons.TaskKilledDuringLaunch, "Task killed before its executor subscribed");
        }
    }

    /// <summary>
    /// Ends every executor (SHUTDOWN, then SIGTERM, then SIGKILL) when the agent is stopped on purpose; their tasks end
    /// TASK_FAILED (REASON_EXECUTOR_TERMINATED). An agent that dies instead (kill -9, a crash) leaves them running, and
    /// its next start reconnects to them (<see cref="Recover"/>).
    /// </summary>
    public async Task ShutdownAllAsync()
    {
        List<ExecutorRun> runs;
        lock (_gate)
        {
            runs = [.. _runs.Values];
        }

        foreach (var run in runs)
        {
            lock (run.Gate)
            {
                run.TerminationReason ??= "the agent is stopping";
                run.Send(ExecutorEvents.Shutdown);
            }

            AgentRuntime.SignalExecutor(run, Processes.AgentInterop.SIGTERM);
        }

        for (int attempt = 0; attempt < 20 && runs.Any(AgentRuntime.ExecutorAlive); attempt++)
        {
            await Task.Delay(50, CancellationToken.None).ConfigureAwait(false);
        }

        foreach (var run in runs)
        {
            AgentRuntime.SignalExecutor(run, Processes.AgentInterop.SIGKILL);

            // Recorded (and checkpointed) now: the runtime stops watching processes next, so no exit would report it.
            Terminate(run, TaskState.Failed, TaskStatusReasons.ExecutorTerminated, "Executor shut down because the agent was stopped");
        }
    }

    private void Start(ExecutorRun run)
    {
        string? error = runtime.StartExecutor(run);
        if (error is not null)
        {
            LogExecutorFailed(logger, run.ExecutorId, run.FrameworkId, error);
            Terminate(run, TaskState.Failed, TaskStatusReasons.ContainerLaunchFailed, $"Failed to launch executor: {error}");
            return;
        }

        LogExecutorStarted(logger, run.ExecutorId, run.FrameworkId, run.Pid ?? 0, run.Directory);
        runtime.RunInBackground(async () =>
        {
            await Task.Delay(runtime.Options.ExecutorRegistrationTimeout, runtime.Time, runtime.Stopping).ConfigureAwait(false);
            lock (run.Gate)
            {
                if (run.Phase != ExecutorPhase.Registering)
                {
                    return;
                }

                run.TerminationReason = RegistrationTimeout;
            }

            LogRegistrationTimeout(logger, run.ExecutorId, run.FrameworkId, runtime.Options.ExecutorRegistrationTimeout.TotalSeconds);
            AgentRuntime.SignalExecutor(run, Processes.AgentInterop.SIGKILL);
        });
    }

    /// <summary>The executor's process ended: close its stream and fail what it still ran.</summary>
    internal void OnExited(ExecutorRun run, int? exitCode)
    {
        string? why;
        lock (run.Gate)
        {
            why = run.TerminationReason;
        }

        LogExecutorExited(logger, run.ExecutorId, run.FrameworkId, exitCode ?? -1, why ?? "exited");
        var (reason, message) = why switch
        {
            RegistrationTimeout => ("REASON_EXECUTOR_REGISTRATION_TIMEOUT",
                $"Executor did not subscribe within {runtime.Options.ExecutorRegistrationTimeout.TotalSeconds:0.###} s"),
            ReregistrationTimeout => ("REASON_EXECUTOR_REREGISTRATION_TIMEOUT",
                $"Executor did not subscribe again within {runtime.Options.ExecutorReregistrationTimeout.TotalSeconds:0.###} s of the agent's restart"),
            _ => (TaskStatusReasons.ExecutorTerminated, $"Executor terminated ({(exitCode is { } c ? $"exit status {c}" : "unknown status")})"),
        };
        Terminate(run, TaskState.Failed, reason, message);
    }

    private void Terminate(ExecutorRun run, TaskState state, string reason, string message)
    {
        List<AgentTask> live;
        lock (_gate)
        {
            if (_runs.TryGetValue((run.FrameworkId, run.ExecutorId), out var current) && current == run)
            {
                _runs.Remove((run.FrameworkId, run.ExecutorId));
            }

            lock (run.Gate)
            {
                if (run.Phase == ExecutorPhase.Terminated)
                {
                    return;
                }

                run.Phase = ExecutorPhase.Terminated;
                live = [.. run.Tasks.Values];
                run.Tasks.Clear();
                run.Queued.Clear();
                run.Events?.Writer.TryComplete();
                run.Events = null;
            }

            _completed.AddLast(run);
            while (_completed.Count > CompletedKept)
            {
                _completed.RemoveFirst();
            }
        }

        runtime.ForgetExecutor(run);
        foreach (var task in live)
        {
            bool killed;
            lock (task.Gate)
            {
                killed = task.KillRequested;
            }

            if (killed)
            {
                runtime.FailExecutorTask(task, TaskState.Killed, reason, message);
            }
            else
            {
                runtime.FailExecutorTask(task, state, reason, message);
            }
        }
    }

    /// <summary>The run a call names, or the Mesos answer for a call that names none (400).</summary>
    private (ExecutorRun? Run, string? Error) Find(string frameworkId, string executorId)
    {
        lock (_gate)
        {
            if (_runs.TryGetValue((frameworkId, executorId), out var run))
            {
                return (run, null);
            }

            return (null, _runs.Keys.Any(k => k.FrameworkId == frameworkId) ? "Executor cannot be found" : "Framework cannot be found");
        }
    }
}
