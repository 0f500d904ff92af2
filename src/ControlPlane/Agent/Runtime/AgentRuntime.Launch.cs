using System.ComponentModel;
using System.Diagnostics;
using Minuet.ControlPlane.Agent.Cgroups;
using Minuet.ControlPlane.Agent.Docker;
using Minuet.ControlPlane.Agent.Processes;
using Minuet.ControlPlane.Agent.Tasks;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Runtime;

/// <summary>Launching: accept and checkpoint at once, then build the sandbox, network and cgroups and start the process.</summary>
internal sealed partial class AgentRuntime
{
    /// <summary>Validates and accepts a launch; the task starts in the background and reports STARTING, RUNNING ...</summary>
    public LaunchOutcome Launch(LaunchTaskRequest launch)
    {
        var errors = ProtocolValidator.Validate(launch);
        if (errors.Count > 0)
        {
            return new LaunchOutcome(LaunchOutcomeKind.Invalid, errors);
        }

        if (AgentId is { } id && !string.Equals(id, launch.AgentId, StringComparison.Ordinal))
        {
            return new LaunchOutcome(LaunchOutcomeKind.WrongAgent,
                [new FieldError("/agent_id", [$"this is agent '{id}', not '{launch.AgentId}'"])]);
        }

        if (!DockerRunSpec.IsDocker(launch) && !_options.MesosContainerizer)
        {
            return new LaunchOutcome(LaunchOutcomeKind.Invalid,
                [new FieldError("/container", ["this agent runs only Docker containers (--containerizers docker): give container.type DOCKER"])]);
        }

        if (LatestStatus(launch.TaskId) is not null)
        {
            return LaunchOutcome.Duplicate;
        }

        var task = new AgentTask(launch, Guid.NewGuid().ToString());
        if (!_tasks.TryAdd(launch.TaskId, task))
        {
            return LaunchOutcome.Duplicate;
        }

        LogLaunched(_logger, launch.TaskId, launch.Name);
        if (launch.Executor is not null)
        {
            // Its executor reports the task's states (the agent sends no TASK_STARTING for custom executors). The
            // task is checkpointed first, so a restarted agent can give it back to its executor.
            lock (task.Gate)
            {
                _store.SaveTask(task.ToCheckpoint());
            }

            Executors.Launch(task);
            return LaunchOutcome.Accepted;
        }

        lock (task.Gate)
        {
            Enqueue(task, TaskState.Starting, reason: null, message: null);
        }

        LogLaunched(_logger, launch.TaskId, launch.Name);
        Track(() => task.IsDocker ? StartDockerAsync(task) : StartAsync(task));
        return LaunchOutcome.Accepted;
    }

    private async Task StartAsync(AgentTask task)
    {
        var launch = task.Launch;
        try
        {
            string sandbox = _store.Sandbox(task.TaskId);
            Directory.CreateDirectory(sandbox);
            Directory.CreateDirectory(_store.TaskMetaDir(task.TaskId));
            File.Delete(_store.ExitStatusFile(task.TaskId));

            var networkError = await AttachNetworkAsync(task).ConfigureAwait(false);
            if (networkError is not null)
            {
                await FailLaunchAsync(task, networkError).ConfigureAwait(false);
                return;
            }

            var cgroups = TaskCgroups.None;
            if (_cgroups is not null && (_cgroups.CpuAvailable || _cgroups.MemoryAvailable))
            {
                var cgroupError = _cgroups.Create(task.TaskId, launch.Resources.Cpus, launch.Resources.Mem, out cgroups);
                if (cgroupError is not null)
                {
                    // Access lost after start (or a hierarchy that lies about it): run unlimited, as without
                    // cgroups, and say so once rather than failing this and every later launch.
                    CgroupV1.Remove(cgroups);
                    cgroups = TaskCgroups.None;
                    if (_cgroups.Disable(cgroupError))
                    {
                        LogRunningUnlimited(_logger, cgroupError);
                    }
                }
            }

            lock (task.Gate)
            {
                task.Cgroups = cgroups;
            }

            var argv = BuildArgv(task, sandbox);
            var env = TaskEnvironment.Build(launch, _options.Hostname, sandbox, _options.TaskPath);
            if (_options.MinuetBinary is { } minuet)
            {
                env.TryAdd(MinuetBinary.EnvironmentName, minuet);
            }

            bool killNow;
            Process child;
            lock (task.Gate)
            {
                if (task.KillRequested)
                {
                    killNow = true;
                    child = null!;
                }
                else
                {
                    killNow = false;
                    child = Spawn(argv, env, sandbox);
                    task.Child = child;
                    task.Pid = child.Id;
                    task.StartTime = ProcStat.TryRead(child.Id)?.StartTime;
                    task.StartedAt = Now();
                    Enqueue(task, TaskState.Running, reason: null, message: null);
                }
            }

            if (killNow)
            {
                await CleanupAsync(task).ConfigureAwait(false);
                RecordTerminal(task, TaskState.Killed, TaskStatusReasons.TaskKilledDuringLaunch, "Task killed before it started", exitCode: null);
                return;
            }

            LogStarted(_logger, task.TaskId, child.Id);
            bool killRequested;
            lock (task.Gate)
            {
                killRequested = task.KillRequested;
            }

            if (killRequested)
            {
                BeginKill(task);
            }

            StartHealthCheck(task);
            Track(() => WatchChildAsync(task, child));
        }
        catch (Win32Exception e)
        {
            await FailLaunchAsync(task, $"could not start the task process: {e.Message}").ConfigureAwait(false);
        }
        catch (IOException e)
        {
            await FailLaunchAsync(task, $"could not prepare the sandbox: {e.Message}").ConfigureAwait(false);
        }
        catch (UnauthorizedAccessException e)
        {
            await FailLaunchAsync(task, $"could not prepare the sandbox: {e.Message}").ConfigureAwait(false);
        }
#pragma warning disable CA1031 // Whatever else goes wrong, the task must still get its one terminal update.
        catch (Exception e) when (e is not OperationCanceledException)
#pragma warning restore CA1031
        {
            await FailLaunchAsync(task, $"launch failed: {e.Message}").ConfigureAwait(false);
        }
    }

    /// <summary>setsid [ip netns exec NS] /bin/sh -c WRAPPER ... command: a new session makes the task its own process group.</summary>
    private List<string> BuildArgv(AgentTask task, string sandbox)
    {
        var argv = new List<string> { _setsid };
        string? netns;
        lock (task.Gate)
        {
            netns = task.NetnsName;
        }

        if (netns is not null && _network is not null)
        {
            argv.AddRange(_network.ExecPrefix(netns));
        }

        argv.AddRange(TaskWrapper.Argv(
            Path.Combine(sandbox, "stdout"), Path.Combine(sandbox, "stderr"), _store.ExitStatusFile(task.TaskId),
            task.Cgroups.ProcsFiles, TaskEnvironment.CommandArgv(task.Launch.Command)));
        return argv;
    }

    private static Process Spawn(List<string> argv, Dictionary<string, string> env, string sandbox)
    {
        var info = new ProcessStartInfo(argv[0]) { UseShellExecute = false, WorkingDirectory = sandbox };
        foreach (var arg in argv.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Clear();
        foreach (var (name, value) in env)
        {
            info.Environment[name] = value;
        }

        return Process.Start(info) ?? throw new Win32Exception("Process.Start returned no process");
    }

    private async Task<string?> AttachNetworkAsync(AgentTask task)
    {
        var requested = task.Launch.Container?.NetworkInfos?.FirstOrDefault(n => n.Name is not null);
        if (requested is null)
        {
            return null;
        }

        if (_network is null || !_network.Serves(requested.Name))
        {
            return $"this agent has no task network '{requested.Name}' (start it with --task-network)";
        }

        var (netns, ip, error) = await _network.AttachAsync(task.TaskId, _stopping.Token).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        lock (task.Gate)
        {
            task.NetnsName = netns;
            task.IpAddress = ip;
            _store.SaveTask(task.ToCheckpoint());
        }

        return null;
    }

    private async Task FailLaunchAsync(AgentTask task, string message)
    {
        LogLaunchFailed(_logger, task.TaskId, message);
        await CleanupAsync(task).ConfigureAwait(false);
        RecordTerminal(task, TaskState.Failed, TaskStatusReasons.ContainerLaunchFailed, message, exitCode: null, source: "SOURCE_SLAVE");
    }
}
