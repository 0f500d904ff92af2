using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler.Apps;
using Minuet.ControlPlane.Scheduler.Deployments;
using Minuet.ControlPlane.Scheduler.Events;
using Minuet.ControlPlane.Scheduler.Tasks;

namespace Minuet.ControlPlane.Scheduler;

/// <summary>Status updates from the master: task state, health, failures and backoff; acknowledgements; subscription.</summary>
internal sealed partial class SchedulerCore
{
    /// <summary>SUBSCRIBED: remember the framework id and reconcile every task we know (and learn of any we do not).</summary>
    public void OnSubscribed(SubscribedEvent subscribed)
    {
        lock (_gate)
        {
            FrameworkId = subscribed.FrameworkId;
            Connected = true;
            _store.PutMeta(MetaFrameworkId, subscribed.FrameworkId);
            var known = _taskIndex.Keys.Select(id => new ReconcileTask(id, _taskIndex[id].Tasks[id].AgentId)).ToList();
            if (known.Count > 0)
            {
                Send(new MasterLink.ReconcileCommand(new ReconcileRequest { Tasks = known }));
            }

            // Implicit reconciliation: the master lists every live task of ours; unknown ones are killed below.
            Send(new MasterLink.ReconcileCommand(new ReconcileRequest()));
            Send(new MasterLink.ReviveCommand());
        }
    }

    public void OnDisconnected()
    {
        lock (_gate)
        {
            Connected = false;
        }
    }

    public void HandleUpdate(SchedulerStatus status)
    {
        lock (_gate)
        {
            if (status.Uuid is { } uuid)
            {
                Send(new MasterLink.AcknowledgeCommand(new AcknowledgeRequest { TaskId = status.TaskId, AgentId = status.AgentId, Uuid = uuid }));
            }

            if (!TaskStates.TryParseMesosName(status.State, out var state))
            {
                return;
            }

            if (!_taskIndex.TryGetValue(status.TaskId, out var app) || !app.Tasks.TryGetValue(status.TaskId, out var task))
            {
                // A task of ours we have no record of (lost store, deleted app): Marathon kills such tasks.
                if (!state.IsTerminal() && state is not TaskState.Unknown and not TaskState.Unreachable)
                {
                    Send(new MasterLink.KillCommand(new KillRequest { TaskId = status.TaskId }));
                }

                return;
            }

            ApplyStatus(app, task, status);
            Evaluate();
        }
    }

    private void ApplyStatus(AppState app, SchedulerTask task, SchedulerStatus status)
    {
        if (!TaskStates.TryParseMesosName(status.State, out var state))
        {
            return;
        }

        var now = Now;
        task.State = state;
        if (state == TaskState.Running && task.StartedAt is null)
        {
            task.StartedAt = now;
        }

        // The agent's verdict is the agent check's result; the scheduler's own checks are probed separately.
        bool agentHealthChanged = status.Healthy is { } healthy && task.AgentCheck is { } agentCheck &&
            agentCheck.Record(healthy, status.Message, now, task.StartedAt).Changed;

        var ips = status.ContainerStatus?.NetworkInfos.SelectMany(n => n.IpAddresses).Select(i => i.IpAddress).ToList();
        if (ips is { Count: > 0 })
        {
            task.IpAddresses = ips;
        }

        PublishStatus(app, task, status);
        if (agentHealthChanged)
        {
            PublishHealthChanged(app, task, status.Healthy == true);
        }

        // UNREACHABLE is expunged at once: every app's unreachableStrategy is expungeAfterSeconds 0 (AppJsonWriter), so
        // the task is forgotten and replaced now; if its agent comes back with it, it is a task we do not know and is
        // killed (HandleUpdate), as Marathon does after expunging.
        if (state.IsTerminal() || state is TaskState.Unknown or TaskState.Unreachable)
        {
            // A kill we did not ask for on an unhealthy task is the agent acting on the health check: it counts as a
            // failure for backoff, so a task that never becomes healthy is not restarted in a tight loop.
            bool unhealthyKill = !task.KillRequested && state == TaskState.Killed && task.AgentCheck?.Alive == false;
            bool failure = unhealthyKill || task.KilledUnhealthy || task.KilledOverdue is not null || (!task.KillRequested && state is TaskState.Failed or TaskState.Finished or TaskState.Error or TaskState.Dropped);
            if (unhealthyKill)
            {
                PublishUnhealthyKill(app, task, status.Message ?? "health check failed");
            }

            if (failure && !app.Deleted && task.Version == app.Definition.ConfigVersion)
            {
                app.Failures++;
                app.NextLaunchAt = now + Backoff.Delay(app.Definition.BackoffSeconds, app.Definition.BackoffFactor, app.Definition.MaxLaunchDelaySeconds, app.Failures);
                app.LastFailureMessage = task.KilledOverdue ?? status.Message ?? state.ToMesosName();
                app.LastFailureAt = now;
                app.LastFailure = new TaskFailure(app.Definition.Id, task.Id, state.ToMesosName(), app.LastFailureMessage, task.Host, task.AgentId, now, task.Version);
                Log.TaskFailed(_log, task.Id, state.ToMesosName(), status.Message ?? string.Empty, app.Failures);
            }

            app.Tasks.Remove(task.Id);
            _taskIndex.Remove(task.Id);
            _store.RemoveTask(task.Id);
            return;
        }

        PersistTask(task);
    }

    private void PublishStatus(AppState app, SchedulerTask task, SchedulerStatus status) =>
        Publish(MarathonEvent.Create("status_update_event", Now, w =>
        {
            w.WriteString("slaveId", task.AgentId);
            w.WriteString("taskId", task.Id);
            w.WriteString("taskStatus", status.State);
            w.WriteString("message", status.Message ?? string.Empty);
            w.WriteString("appId", app.Definition.Id);
            w.WriteString("host", task.Host);
            Http.MarathonJson.WriteInts(w, "ports", task.Ports);
            Http.MarathonJson.WriteIpAddresses(w, task.IpAddresses);
            w.WriteString("version", AppJsonWriter.Timestamp(task.Version));
        }));
}
