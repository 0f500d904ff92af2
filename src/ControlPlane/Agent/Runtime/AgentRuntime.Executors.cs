using System.ComponentModel;
using System.Globalization;
using Minuet.ControlPlane.Agent.Executors;
using Minuet.ControlPlane.Agent.Processes;
using Minuet.ControlPlane.Agent.Tasks;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Runtime;

/// <summary>
/// What <see cref="ExecutorManager"/> needs from the runtime: starting and signalling executor processes (the same
/// setsid + wrapper as tasks, so stdout/stderr land in the executor's sandbox), and recording task updates through the
/// runtime's checkpointed, acknowledged update queue.
/// </summary>
internal sealed partial class AgentRuntime
{
    private ExecutorManager? _executors;

    /// <summary>Custom executors of this agent.</summary>
    public ExecutorManager Executors => LazyInitializer.EnsureInitialized(ref _executors, () => new ExecutorManager(this, _logger));

    /// <summary>The port the agent's HTTP API listens on (executors connect to it); set by the host once bound.</summary>
    public int AgentPort { get; set; } = 5051;

    /// <summary><c>ip:port</c> of the agent's HTTP API, as <c>MESOS_AGENT_ENDPOINT</c> carries it.</summary>
    public string AgentEndpoint => $"{MasterOptions.FormatHost(_options.Address)}:{AgentPort}";

    /// <summary>Where executors' messages for their frameworks go; null when the sink (a test recorder) carries none.</summary>
    internal Status.IExecutorMessageSink? MessageSink => _sink as Status.IExecutorMessageSink;

    internal TimeProvider Time => _time;

    internal CancellationToken Stopping => _stopping.Token;

    internal double NowSeconds() => Now();

    internal void RunInBackground(Func<Task> work) => Track(work);

    /// <summary>Starts an executor's process in its sandbox with Mesos's executor environment; the error says why not.</summary>
    internal string? StartExecutor(ExecutorRun run)
    {
        try
        {
            Directory.CreateDirectory(run.Directory);
            string status = Path.Combine(run.Directory, ".exit_status");
            var argv = new List<string> { _setsid };
            argv.AddRange(TaskWrapper.Argv(Path.Combine(run.Directory, "stdout"), Path.Combine(run.Directory, "stderr"), status, [],
                TaskEnvironment.CommandArgv(run.Info.Command)));
            var child = Spawn(argv, ExecutorEnvironment(run), run.Directory);
            lock (run.Gate)
            {
                run.Process = child;
                run.Pid = child.Id;
                run.StartTime = ProcStat.TryRead(child.Id)?.StartTime;
                _store.SaveExecutor(run.ToCheckpoint());
            }

            Track(async () =>
            {
                try
                {
                    await child.WaitForExitAsync(_stopping.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                int? code = ReadExecutorExitStatus(run) ?? child.ExitCode;

                // Whatever the executor left in its process group goes with it, as Mesos destroys the container.
                AgentInterop.Kill(-child.Id, AgentInterop.SIGKILL);
                Executors.OnExited(run, code);
                child.Dispose();
            });
            return null;
        }
        catch (Win32Exception e)
        {
            return e.Message;
        }
        catch (IOException e)
        {
            return e.Message;
        }
        catch (UnauthorizedAccessException e)
        {
            return e.Message;
        }
    }

    /// <summary>
    /// Watches an executor this agent recovered (not its child: polled through <c>/proc</c>, as adopted tasks are) and
    /// reports its end like a child's.
    /// </summary>
    internal void WatchRecoveredExecutor(ExecutorRun run, int pid, long startTime) => Track(async () =>
    {
        while (ProcStat.IsSameLiveProcess(pid, startTime))
        {
            await Task.Delay(_options.AdoptedPollInterval, _time, _stopping.Token).ConfigureAwait(false);
        }

        AgentInterop.Kill(-pid, AgentInterop.SIGKILL);
        Executors.OnExited(run, ReadExecutorExitStatus(run));
    });

    /// <summary>The exit status the wrapper wrote into the executor's sandbox; null when it never wrote one.</summary>
    internal static int? ReadExecutorExitStatus(ExecutorRun run)
    {
        try
        {
            string text = File.ReadAllText(Path.Combine(run.Directory, ".exit_status")).Trim();
            return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out int code) ? code : null;
        }
        catch (IOException)
        {
            return null;
        }
    }

    internal void ForgetExecutor(ExecutorRun run)
    {
        try
        {
            _store.DeleteExecutor(run.FrameworkId, run.ExecutorId);
        }
        catch (IOException)
        {
            // A leftover checkpoint only costs the next start a look at a dead pid.
        }
    }

    /// <summary>Mesos's executor environment (src/slave/slave.cpp <c>executorEnvironment</c>) plus the command's own variables.</summary>
    internal Dictionary<string, string> ExecutorEnvironment(ExecutorRun run)
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["PATH"] = string.IsNullOrEmpty(_options.TaskPath) ? TaskEnvironment.DefaultPath : _options.TaskPath,
        };
        foreach (var (name, value) in run.Info.Command.Environment ?? new Dictionary<string, string>())
        {
            env[name] = value;
        }

        env["MESOS_FRAMEWORK_ID"] = run.FrameworkId;
        env["MESOS_EXECUTOR_ID"] = run.ExecutorId;
        env["MESOS_DIRECTORY"] = run.Directory;
        env["MESOS_SANDBOX"] = run.Directory;
        env["MESOS_AGENT_ENDPOINT"] = AgentEndpoint;
        env["MESOS_SLAVE_ID"] = run.AgentId;
        env["MESOS_AGENT_ID"] = run.AgentId;
        env["MESOS_SLAVE_PID"] = $"slave(1)@{AgentEndpoint}";
        // This agent checkpoints every executor and reconnects to it after a restart, so executors are told to
        // subscribe again when the agent goes away (Mesos sets the last two only when checkpointing).
        env["MESOS_CHECKPOINT"] = "1";
        env["MESOS_RECOVERY_TIMEOUT"] = "15mins";
        env["MESOS_SUBSCRIPTION_BACKOFF_MAX"] = "2secs";
        env["MESOS_HTTP_COMMAND_EXECUTOR"] = "0";
        env["MESOS_EXECUTOR_SHUTDOWN_GRACE_PERIOD"] = $"{_options.DefaultKillGrace.TotalSeconds.ToString(CultureInfo.InvariantCulture)}secs";
        env["MESOS_CONTAINER_ID"] = run.ContainerId;
        return env;
    }

    /// <summary>Signals the executor's process group while it is still the process the agent started.</summary>
    internal static void SignalExecutor(ExecutorRun run, int signal)
    {
        int? pid;
        long? start;
        lock (run.Gate)
        {
            pid = run.Pid;
            start = run.StartTime;
        }

        if (pid is { } p && ProcStat.IsTaskGroup(p, start))
        {
            AgentInterop.Kill(-p, signal);
        }
    }

    internal static bool ExecutorAlive(ExecutorRun run)
    {
        lock (run.Gate)
        {
            return run.Pid is { } p && ProcStat.IsTaskGroup(p, run.StartTime) && run.Phase != ExecutorPhase.Terminated;
        }
    }

    /// <summary>Records an executor's update through the task's update queue; a task already terminal takes nothing more.</summary>
    internal void RecordExecutorStatus(AgentTask task, TaskStatusUpdate update)
    {
        lock (task.Gate)
        {
            if (task.TerminalRecorded)
            {
                return;
            }

            task.LatestStatus = update;
            task.PendingUpdates.Add(update);
            if (update.ParsedState.IsTerminal())
            {
                task.TerminalRecorded = true;
            }

            _store.SaveTask(task.ToCheckpoint());
        }

        EnsurePump(task);
    }

    /// <summary>A terminal state the agent decides for an executor's task (executor gone, killed before it ran).</summary>
    internal void FailExecutorTask(AgentTask task, TaskState state, string reason, string message) =>
        RecordTerminal(task, state, reason, message, exitCode: null, source: "SOURCE_SLAVE");

    internal ContainerStatus ExecutorContainerStatus(ExecutorRun run) => new()
    {
        ContainerId = new ContainerId(run.ContainerId),
        NetworkInfos = [new NetworkInfo { IpAddresses = [new IpAddressInfo { IpAddress = _options.Address }] }],
        ExecutorPid = run.Pid,
    };
}
