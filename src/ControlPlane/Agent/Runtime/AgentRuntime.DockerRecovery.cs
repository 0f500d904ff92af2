using Minuet.ControlPlane.Agent.Docker;
using Minuet.ControlPlane.Agent.Tasks;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Runtime;

/// <summary>
/// Docker tasks across agent restarts. A checkpointed task is
/// matched to its container by id, else by its name and task-id label; a running one is watched again, one that
/// stopped meanwhile is reported once from its exit state; containers labelled with this agent's id that no
/// checkpoint claims are removed (Mesos's <c>--docker_kill_orphans</c>).
/// </summary>
internal sealed partial class AgentRuntime
{
    /// <summary>Re-adopts one checkpointed Docker task; true when its container still runs.</summary>
    private async Task<bool> RecoverDockerAsync(AgentTask task)
    {
        if (_docker is null || !await _docker.DecideAsync().ConfigureAwait(false))
        {
            RecordTerminal(task, TaskState.Failed, TaskStatusReasons.ExecutorTerminated,
                "The agent restarted without a Docker containerizer; the task's container is no longer watched", null, source: "SOURCE_SLAVE");
            return false;
        }

        string? known;
        lock (task.Gate)
        {
            known = task.DockerContainer;
        }

        var engine = _docker.Engine;
        var inspect = await engine.InspectContainerAsync(known ?? DockerNames.ContainerName(task.TaskId), _stopping.Token).ConfigureAwait(false);
        bool ours = inspect.Ok && inspect.Value!.Config?.Labels?.GetValueOrDefault(DockerNames.ContainerIdLabel) == task.ContainerId;
        if (inspect.Ok && ours && inspect.Value!.State?.Status != "created")
        {
            string id = inspect.Value.Id;
            bool running = inspect.Value.State?.Running == true;
            bool killNow;
            lock (task.Gate)
            {
                task.DockerContainer = id;
                task.IpAddress ??= ContainerIp(inspect.Value);
                if (task.StartedAt is null)
                {
                    // The agent stopped between starting the container and reporting it.
                    task.StartedAt = Now();
                    Enqueue(task, TaskState.Running, reason: null, message: "Container re-adopted after an agent restart");
                }
                else
                {
                    _store.SaveTask(task.ToCheckpoint());
                }

                killNow = task.KillRequested;
            }

            if (running)
            {
                LogDockerAdopted(_logger, task.TaskId, id);
                StartHealthCheck(task);
                if (killNow)
                {
                    BeginDockerKill(task);
                }
            }

            // A stopped container is reported from its exit state by the watcher at once, after the rest of its logs.
            Track(() => WatchContainerAsync(task, id, LogsResumePoint(task)));
            return running;
        }

        if (!inspect.Ok && !inspect.NotFound)
        {
            // The daemon does not answer: the container may well run on. Keep the task and watch it once it answers.
            _docker.ReportUnreachable(inspect.Error!);
            if (known is not null)
            {
                Track(() => WatchContainerAsync(task, known, LogsResumePoint(task)));
                return false;
            }
        }

        if (inspect.Ok && ours)
        {
            await engine.RemoveContainerAsync(inspect.Value!.Id, CancellationToken.None).ConfigureAwait(false);
        }

        await CleanupAsync(task).ConfigureAwait(false);
        if (task.KillRequested)
        {
            RecordTerminal(task, TaskState.Killed, TaskStatusReasons.TaskKilledDuringLaunch, "Task killed before it started", null);
        }
        else if (known is not null && task.StartedAt is not null)
        {
            RecordTerminal(task, TaskState.Failed, TaskStatusReasons.ExecutorTerminated,
                "The container is gone (removed while the agent was not running); its exit status is unknown", null, source: "SOURCE_SLAVE");
        }
        else
        {
            RecordTerminal(task, TaskState.Failed, TaskStatusReasons.AgentRestarted,
                "The agent restarted before the container started", null, source: "SOURCE_SLAVE");
        }

        return false;
    }

    /// <summary>Removes containers labelled with this agent's id that no task checkpoint claims.</summary>
    private async Task RemoveDockerOrphansAsync()
    {
        if (_docker is null || AgentId is not { } agentId || !await _docker.DecideAsync().ConfigureAwait(false))
        {
            return;
        }

        var listed = await _docker.Engine.ListContainersAsync($"{DockerNames.AgentIdLabel}={agentId}", _stopping.Token).ConfigureAwait(false);
        if (!listed.Ok)
        {
            return;
        }

        var claimed = _tasks.Values.Select(t => t.ContainerId).ToHashSet(StringComparer.Ordinal);
        foreach (var container in listed.Value!)
        {
            string? containerId = container.Labels?.GetValueOrDefault(DockerNames.ContainerIdLabel);
            if (containerId is null || claimed.Contains(containerId))
            {
                continue;
            }

            LogDockerOrphan(_logger, container.Id, container.Labels?.GetValueOrDefault(DockerNames.TaskIdLabel) ?? "?");
            await _docker.Engine.RemoveContainerAsync(container.Id, CancellationToken.None).ConfigureAwait(false);
        }
    }
}
