using Minuet.ControlPlane.Agent.Status;
using Minuet.ControlPlane.Agent.Tasks;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Runtime;

/// <summary>
/// Status updates: each is appended to the task's queue and checkpointed in the same write as the task's
/// state, then a pump per task sends the queue head until the master acknowledges it, in order.
/// </summary>
internal sealed partial class AgentRuntime
{
    /// <summary>Appends an update (caller holds <see cref="AgentTask.Gate"/>), checkpoints, and makes sure a pump runs.</summary>
    private void Enqueue(AgentTask task, TaskState state, string? reason, string? message, int? exitCode = null, string source = "SOURCE_EXECUTOR")
    {
        var update = new TaskStatusUpdate
        {
            Uuid = Guid.NewGuid().ToString(),
            TaskId = task.TaskId,
            FrameworkId = task.Launch.FrameworkId,
            AgentId = task.Launch.AgentId,
            State = state.ToMesosName(),
            Reason = reason,
            Message = message,
            Source = source,
            ExitCode = exitCode,
            Healthy = task.Launch.HealthCheck is null ? null : task.Healthy,
            Timestamp = Now(),
            ContainerStatus = ContainerStatusOf(task),
        };

        task.LatestStatus = update;
        task.PendingUpdates.Add(update);
        if (state.IsTerminal())
        {
            task.TerminalRecorded = true;
        }

        _store.SaveTask(task.ToCheckpoint());
        EnsurePump(task);
    }

    /// <summary>Network addresses: the task's own IP in a task network, the agent's address on the host network.</summary>
    private ContainerStatus ContainerStatusOf(AgentTask task)
    {
        if (task.IsDocker)
        {
            return DockerContainerStatusOf(task);
        }

        var network = task.IpAddress is { } ip
            ? new NetworkInfo { Name = _network?.Options.Name ?? "minuet", IpAddresses = [new IpAddressInfo { IpAddress = ip }] }
            : new NetworkInfo { IpAddresses = [new IpAddressInfo { IpAddress = _options.Address }] };
        return new ContainerStatus { ContainerId = new ContainerId(task.ContainerId), NetworkInfos = [network], ExecutorPid = task.Pid };
    }

    private void EnsurePump(AgentTask task)
    {
        lock (task.Gate)
        {
            if (task.PumpRunning || task.PendingUpdates.Count == 0 || _stopping.IsCancellationRequested)
            {
                return;
            }

            task.PumpRunning = true;
        }

        Track(() => PumpAsync(task));
    }

    private async Task PumpAsync(AgentTask task)
    {
        var delay = _options.StatusRetryInitial;
        try
        {
            while (true)
            {
                TaskStatusUpdate head;
                lock (task.Gate)
                {
                    if (task.PendingUpdates.Count == 0)
                    {
                        task.PumpRunning = false;
                        if (task.TerminalRecorded)
                        {
                            Forget(task);
                        }

                        return;
                    }

                    head = task.PendingUpdates[0];
                }

                StatusSendOutcome outcome;
                try
                {
                    outcome = await _sink.SendAsync(head, _stopping.Token).ConfigureAwait(false);
                }
                catch (HttpRequestException)
                {
                    outcome = StatusSendOutcome.Retry;
                }

                if (outcome == StatusSendOutcome.Retry)
                {
                    await Task.Delay(delay, _time, _stopping.Token).ConfigureAwait(false);
                    delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.StatusRetryMax.Ticks));
                    continue;
                }

                if (outcome == StatusSendOutcome.Rejected)
                {
                    LogStatusRejected(_logger, head.TaskId, head.State, head.Uuid);
                }

                delay = _options.StatusRetryInitial;
                lock (task.Gate)
                {
                    if (task.PendingUpdates.Count > 0 && task.PendingUpdates[0].Uuid == head.Uuid)
                    {
                        task.PendingUpdates.RemoveAt(0);
                        if (!(task.TerminalRecorded && task.PendingUpdates.Count == 0))
                        {
                            _store.SaveTask(task.ToCheckpoint());
                        }
                    }
                }
            }
        }
        catch (OperationCanceledException)
        {
            lock (task.Gate)
            {
                task.PumpRunning = false;
            }
        }
    }

    /// <summary>The terminal update was acknowledged: drop the checkpoint (exactly-once is done) and keep a summary.</summary>
    private void Forget(AgentTask task)
    {
        _store.DeleteTask(task.TaskId);
        if (task.LatestStatus is { } status)
        {
            Remember(new ReportedTask { Launch = task.Launch, LatestStatus = status });
        }

        _tasks.TryRemove(task.TaskId, out _);
        task.Child?.Dispose();
    }
}
