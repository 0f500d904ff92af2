using Minuet.ControlPlane.Allocation;
using Minuet.ControlPlane.Master.State;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Storage;

namespace Minuet.ControlPlane.Master;

/// <summary>Making a change durable (store), visible (change log for the endpoint stream) and delivered (framework updates).</summary>
internal sealed partial class MasterCore
{
    private const int MaxStatusesPerTask = 32;

    /// <summary>The operator API's event source (<c>POST /api/v1</c> SUBSCRIBE); set once by the host.</summary>
    internal IMasterObserver? Observer { get; set; }

    private void PublishTask(TaskEntry task)
    {
        bool added = task.CachedJson is null;
        task.CachedJson = MasterStateWriter.RenderTask(task);
        task.Revision++;
        _view.TaskChanged(task.Id);
        if (task.State.IsTerminal())
        {
            // Its framework's completed list may hold it.
            _view.FrameworkChanged(task.FrameworkId);
        }

        _changes.Append(v => StreamLines.Task(v, task));
        Observer?.TaskChanged(this, task, added);
    }

    private void PublishAgent(AgentEntry agent)
    {
        _view.AgentChanged(agent.Id);
        var view = State.StateViewPublisher.AgentOf(agent, this, 0);
        var used = _tasks.UsedOn(agent);
        var offered = _offers.OfferedOn(agent.Id, _frameworks.Values);
        _changes.Append(v => StreamLines.Agent(v, view, used, offered));
        if (agent.Status == AgentStatus.Unreachable)
        {
            Observer?.AgentRemoved(this, agent.Id);
        }
        else
        {
            Observer?.AgentChanged(this, agent);
        }
    }

    private void PublishAgentRemoved(string agentId)
    {
        _view.AgentChanged(agentId);
        _changes.Append(v => StreamLines.Removed(v, "agent_removed", "agent_id", agentId));
        Observer?.AgentRemoved(this, agentId);
    }

    private void PublishFramework(FrameworkEntry framework)
    {
        _view.FrameworkChanged(framework.Id);
        _changes.Append(v => StreamLines.Framework(v, framework));
        Observer?.FrameworkChanged(this, framework);
    }

    private void PublishFrameworkRemoved(string frameworkId)
    {
        _view.FrameworkChanged(frameworkId);
        _changes.Append(v => StreamLines.Removed(v, "framework_removed", "framework_id", frameworkId));
        Observer?.FrameworkRemoved(this, frameworkId);
    }

    /// <summary>Applies a status to a task: state, history, resources back on terminal, store, stream, framework.</summary>
    private void ApplyStatus(TaskEntry task, TaskStatusUpdate status, DateTimeOffset now, bool stored = false)
    {
        var state = status.ParsedState;
        task.State = state;
        task.Statuses.Add(status);
        if (task.Statuses.Count > MaxStatusesPerTask)
        {
            task.Statuses.RemoveAt(0);
        }

        task.Remember(status.Uuid);
        var framework = FrameworkFor(task.FrameworkId, task.Launch.FrameworkName, task.Role, now);
        if (state.IsTerminal())
        {
            _allocator.Recover(task.AgentId, framework.Id, task.Slice, null, now);
            if (framework.Tasks.Remove(task.Id))
            {
                framework.CompletedTasks.AddLast(task);
                while (framework.CompletedTasks.Count > _options.MaxCompletedTasksPerFramework)
                {
                    framework.CompletedTasks.RemoveFirst();
                }
            }
        }
        else if (!framework.Tasks.ContainsKey(task.Id))
        {
            // TASK_LOST can come back (a partitioned agent returns): the task is live again.
            _view.FrameworkChanged(framework.Id);
            framework.CompletedTasks.Remove(task);
            framework.Tasks[task.Id] = task;
        }

        if (!stored)
        {
            PersistTask(task);
        }

        PublishTask(task);

        // Mesos's command executor has the task's id as its executor id; updates from an executor or agent carry it.
        var forwarded = ToSchedulerStatus(status, requireAck: true);
        ForwardUpdate(framework, status.Source == "SOURCE_MASTER" ? forwarded
            : forwarded with { ExecutorId = task.Launch.Executor?.ExecutorId ?? task.Launch.TaskGroupExecutorId ?? task.Id }, now);

        if (state.IsTerminal() && state != TaskState.Finished && task.Launch.TaskGroupExecutorId is { } group)
        {
            KillTaskGroup(framework, task, group);
        }
    }

    /// <summary>
    /// Mesos's default executor ends a whole task group once one of its tasks fails or is killed; here the master
    /// does it for the group's command tasks (the kills go out as any kill does).
    /// </summary>
    private void KillTaskGroup(FrameworkEntry framework, TaskEntry ended, string group)
    {
        AgentEndpoint? target = _agents.TryGetValue(ended.AgentId, out var agent) && agent.Status == AgentStatus.Active ? EndpointOf(agent) : null;
        foreach (var sibling in framework.Tasks.Values)
        {
            if (sibling.Launch.TaskGroupExecutorId != group || sibling.AgentId != ended.AgentId || sibling.State.IsTerminal() || sibling.KillRequested)
            {
                continue;
            }

            sibling.KillRequested = true;
            if (target is { } endpoint)
            {
                _dispatcher.Kill(endpoint, new KillTaskRequest { TaskId = sibling.Id });
            }
        }
    }

    /// <summary>The stored record <paramref name="task"/> will have once <paramref name="status"/> is applied.</summary>
    private static StoredTask Prospective(TaskEntry task, TaskStatusUpdate status) => new()
    {
        Launch = task.Launch,
        State = status.State,
        Statuses = [.. task.Statuses.Skip(Math.Max(0, task.Statuses.Count + 1 - MaxStatusesPerTask)), status],
        ReservedPart = task.Slice.Reserved.IsEmpty ? null : task.Slice.Reserved.ToResourceSet(),
    };

    /// <summary>A status the master itself decides (unreachable, lost, dropped), keeping the last known network info.</summary>
    private static TaskStatusUpdate MasterStatus(TaskEntry task, TaskState state, string reason, string message, DateTimeOffset now) => new()
    {
        Uuid = Guid.NewGuid().ToString(),
        TaskId = task.Id,
        FrameworkId = task.FrameworkId,
        AgentId = task.AgentId,
        State = state.ToMesosName(),
        Reason = reason,
        Source = "SOURCE_MASTER",
        Message = message,
        Timestamp = Seconds(now),
        ContainerStatus = task.Statuses.Count > 0 ? task.Statuses[^1].ContainerStatus : null,
    };

    private static void ForwardUpdate(FrameworkEntry framework, SchedulerStatus status, DateTimeOffset now)
    {
        if (!framework.PendingUpdates.TryGetValue(status.TaskId, out var queue))
        {
            queue = new Queue<PendingUpdate>();
            framework.PendingUpdates[status.TaskId] = queue;
        }

        queue.Enqueue(new PendingUpdate(status));
        if (queue.Count == 1)
        {
            SendPending(framework, queue.Peek(), now);
        }
    }

    private static void SendPending(FrameworkEntry framework, PendingUpdate pending, DateTimeOffset now, bool retry = false)
    {
        if (framework.Connection is { IsClosed: false } connection)
        {
            var update = new SchedulerEvent { Type = "UPDATE", Update = pending.Status };
            if (retry && !connection.TrySendRetry(update))
            {
                return;
            }

            if (!retry)
            {
                connection.Send(update);
            }

            pending.LastSent = now;
        }
    }

    private static SchedulerStatus ToSchedulerStatus(TaskStatusUpdate status, bool requireAck) => new()
    {
        TaskId = status.TaskId,
        FrameworkId = status.FrameworkId,
        AgentId = status.AgentId,
        State = status.State,
        Reason = status.Reason,
        Message = status.Message,
        Source = status.Source,
        Healthy = status.Healthy,
        ExitCode = status.ExitCode,
        Timestamp = status.Timestamp,
        Uuid = requireAck ? status.Uuid : null,
        ContainerStatus = status.ContainerStatus,
    };
}
