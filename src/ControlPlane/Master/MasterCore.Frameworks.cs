using System.Globalization;
using Minuet.ControlPlane.Allocation;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Master;

/// <summary>The framework side: subscribe, disconnect, teardown, kill, acknowledge, reconcile, suppress, revive.</summary>
internal sealed partial class MasterCore
{
    /// <summary>Subscribes a framework and returns its event stream; SUBSCRIBED is the first event on it.</summary>
    public (FrameworkConnection? Connection, MasterError? Error) Subscribe(SubscribeRequest request)
    {
        var errors = new FieldErrorList();
        if (string.IsNullOrWhiteSpace(request.Name))
        {
            errors.Add("/name", "is required");
        }

        request = request with { Role = request.Role ?? Roles.Default, User = request.User ?? "root" };
        if (Roles.Validate(request.Role) is { } roleError)
        {
            errors.Add("/role", roleError);
        }

        if (request.FrameworkId is { Length: 0 })
        {
            errors.Add("/framework_id", "must not be empty when present");
        }

        if (errors.Any)
        {
            return (null, MasterError.Invalid(errors.ToList()));
        }

        return StoreThenApply(request.FrameworkId is { } known ? "framework:" + known : null, () => CheckSubscription(request));
    }

    /// <summary>Under the lock: the framework record (and, for a new framework, the id counter) to store first.</summary>
    private Staged<(FrameworkConnection?, MasterError?)> CheckSubscription(SubscribeRequest request)
    {
        if (RefuseRoleChange(request) is { } roleError)
        {
            return Staged<(FrameworkConnection?, MasterError?)>.Done((null, roleError));
        }

        // Durable before anything changes: a framework gets its id only once the store holds it.
        var now = Now;
        _frameworks.TryGetValue(request.FrameworkId ?? string.Empty, out var existing);
        bool fresh = request.FrameworkId is null;
        long nextFramework = fresh ? _frameworks.NextId + 1 : _frameworks.NextId;
        var stored = new Storage.StoredFramework
        {
            Id = existing?.Id ?? request.FrameworkId ?? $"{MasterId}-{_frameworks.NextId:D4}",
            Name = request.Name!,
            Role = request.Role!,
            Principal = request.Principal,
            User = request.User!,
            Hostname = request.Hostname,
            WebuiUrl = request.WebuiUrl,
            FailoverTimeout = request.FailoverTimeout,
            Checkpoint = request.Checkpoint,
            RegisteredTime = Seconds(existing?.RegisteredTime ?? now),
        };

        // The id is taken now, so a subscription checked while this one is being stored gets the next one.
        _frameworks.NextId = nextFramework;
        return Staged<(FrameworkConnection?, MasterError?)>.Change(
            s =>
            {
                if (fresh)
                {
                    s.PutMeta(MetaNextFramework, nextFramework.ToString(CultureInfo.InvariantCulture));
                }

                s.PutFramework(stored);
            },
            error =>
            {
                if (error is not null)
                {
                    if (fresh && _frameworks.NextId == nextFramework)
                    {
                        _frameworks.NextId = nextFramework - 1;
                    }

                    return (null, error);
                }

                if (RefuseRoleChange(request) is { } changedMeanwhile)
                {
                    // Tasks were accepted in the old role while it was stored: the store keeps the record as memory has it.
                    if (_frameworks.ContainsKey(stored.Id))
                    {
                        PersistFramework(_frameworks[stored.Id]);
                    }

                    return (null, changedMeanwhile);
                }

                return (ApplySubscription(request, stored.Id, Now), null);
            });
    }

    /// <summary>A framework with tasks may not move to another role (the tasks' resources are the role's).</summary>
    private MasterError? RefuseRoleChange(SubscribeRequest request) =>
        _frameworks.TryGetValue(request.FrameworkId ?? string.Empty, out var existing) && existing.Role != request.Role && existing.Tasks.Count > 0
            ? MasterError.Field("/role", $"framework '{existing.Id}' runs tasks in role '{existing.Role}'; changing role to '{request.Role}' is not supported")
            : null;

    /// <summary>Under the lock, once the framework is stored: it (re)joins with a new connection and gets offers again.</summary>
    private FrameworkConnection ApplySubscription(SubscribeRequest request, string id, DateTimeOffset now)
    {
        FrameworkEntry framework;
        if (_frameworks.TryGetValue(id, out var existing))
        {
            framework = existing;
            framework.ReregisteredTime = now;
        }
        else
        {
            framework = new FrameworkEntry { Id = id, Name = request.Name!, RegisteredTime = now };
            _frameworks.Put(framework);
        }

        if (framework.Role != request.Role)
        {
            _allocator.RemoveFramework(framework.Id);
        }

        framework.Name = request.Name!;
        framework.Role = request.Role!;
        framework.Principal = request.Principal;
        framework.User = request.User!;
        framework.Hostname = request.Hostname;
        framework.WebuiUrl = request.WebuiUrl;
        framework.FailoverTimeoutSeconds = request.FailoverTimeout;
        framework.Checkpoint = request.Checkpoint;
        framework.Suppressed = false;

        framework.Connection?.Close();
        RescindOffersOf(framework);
        var connection = new FrameworkConnection(framework.Id, _options.FrameworkEventCapacity, OnFrameworkTooSlow);
        framework.Connection = connection;
        _allocator.AddFramework(framework.Id, framework.Role, active: true);
        _allocator.Revive(framework.Id);

        connection.Send(new SchedulerEvent
        {
            Type = "SUBSCRIBED",
            Subscribed = new SubscribedEvent(framework.Id, _options.SchedulerHeartbeat.TotalSeconds, MasterId, _options.LeaderPid),
        });

        // Updates the framework has not acknowledged (from before a disconnect or a master restart) go out again.
        connection.EnsureCapacity(framework.PendingUpdates.Count);
        foreach (var queue in framework.PendingUpdates.Values)
        {
            if (queue.Count > 0)
            {
                SendPending(framework, queue.Peek(), now);
            }
        }

        PublishFramework(framework);
        Log.FrameworkSubscribed(_log, framework.Id, framework.Name, framework.Role);
        return connection;
    }

    /// <summary>The subscriber went away: no more offers; tasks keep running until the framework returns or is torn down.</summary>
    public void Disconnect(FrameworkConnection connection)
    {
        using (Mutate())
        {
            connection.Close();
            if (_frameworks.TryGetValue(connection.FrameworkId, out var framework) && ReferenceEquals(framework.Connection, connection))
            {
                framework.DisconnectedAt = Now;
                _allocator.SetFrameworkActive(framework.Id, false);
                RescindOffersOf(framework);
                PublishFramework(framework);
            }
        }
    }

    /// <summary>
    /// A subscription cut for reading too slowly (see <see cref="FrameworkConnection"/>): the framework is
    /// disconnected at once, so no offer is made to a stream nobody reads. Runs under the lock (from a send).
    /// </summary>
    private void OnFrameworkTooSlow(FrameworkConnection connection, int pending)
    {
        _metrics.FrameworksDisconnectedSlow.Increment();
        Log.FrameworkTooSlow(_log, connection.FrameworkId, pending);
        Disconnect(connection);
    }

    /// <summary>TEARDOWN: kill every task and forget the framework.</summary>
    public MasterError? Teardown(string frameworkId)
    {
        var kills = new List<(AgentEndpoint, KillTaskRequest)>();
        using (Mutate())
        {
            if (!_frameworks.TryGetValue(frameworkId, out var framework))
            {
                return UnknownFramework(frameworkId);
            }

            foreach (var task in framework.Tasks.Values)
            {
                if (_agents.TryGetValue(task.AgentId, out var agent) && agent.Status == AgentStatus.Active)
                {
                    kills.Add((EndpointOf(agent), new KillTaskRequest { TaskId = task.Id }));
                }
            }

            RescindOffersOf(framework);
            framework.Connection?.Close();
            _allocator.RemoveFramework(frameworkId);
            foreach (var task in framework.Tasks.Values.Concat(framework.CompletedTasks))
            {
                _tasks.Remove(task.Id);
                UnpersistTask(task.Id);
                if (_agents.TryGetValue(task.AgentId, out var agent))
                {
                    agent.TaskIds.Remove(task.Id);
                }

                // Consumers of the stream see the tasks end with their framework.
                task.State = task.State.IsTerminal() ? task.State : TaskState.Killed;
                PublishTask(task);
            }

            _frameworks.TearDown(frameworkId);
            UnpersistFramework(frameworkId);
            PublishFrameworkRemoved(frameworkId);
        }

        foreach (var (agent, kill) in kills)
        {
            _dispatcher.Kill(agent, kill);
        }

        return null;
    }

    /// <summary>KILL: the agent gets the kill now, or when it comes back if it is unreachable.</summary>
    public MasterError? Kill(string frameworkId, KillRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.TaskId))
        {
            return MasterError.Field("/task_id", "is required");
        }

        AgentEndpoint? target = null;
        using (Mutate())
        {
            if (!_frameworks.TryGetValue(frameworkId, out var framework))
            {
                return UnknownFramework(frameworkId);
            }

            if (!_tasks.TryGetValue(request.TaskId, out var task) || task.FrameworkId != frameworkId)
            {
                return MasterError.NotFound(ProtocolErrorCodes.UnknownTask, $"framework '{frameworkId}' has no task '{request.TaskId}'");
            }

            if (task.State.IsTerminal())
            {
                return null;
            }

            task.KillRequested = true;
            if (_agents.TryGetValue(task.AgentId, out var agent) && agent.Status == AgentStatus.Active)
            {
                target = EndpointOf(agent);
            }
            else if (task.State == TaskState.Unreachable && framework.Id == frameworkId)
            {
                // Nothing to send to: the kill goes out in the re-registration answer if the agent returns.
            }
        }

        if (target is { } endpoint)
        {
            _dispatcher.Kill(endpoint, new KillTaskRequest { TaskId = request.TaskId, GracePeriodSeconds = request.GracePeriodSeconds });
        }

        return null;
    }

    /// <summary>ACKNOWLEDGE: the head update of the task's stream is done; the next one (if any) goes out.</summary>
    public MasterError? Acknowledge(string frameworkId, AcknowledgeRequest request)
    {
        var errors = new FieldErrorList();
        if (string.IsNullOrWhiteSpace(request.TaskId))
        {
            errors.Add("/task_id", "is required");
        }

        if (string.IsNullOrWhiteSpace(request.Uuid))
        {
            errors.Add("/uuid", "is required");
        }

        if (errors.Any)
        {
            return MasterError.Invalid(errors.ToList());
        }

        using (Mutate())
        {
            if (!_frameworks.TryGetValue(frameworkId, out var framework))
            {
                return UnknownFramework(frameworkId);
            }

            if (!framework.PendingUpdates.TryGetValue(request.TaskId!, out var queue) || queue.Count == 0 ||
                queue.Peek().Status.Uuid != request.Uuid)
            {
                // Acknowledging something already acknowledged (a retry) is harmless; anything else is a mistake.
                return queue?.Any(p => p.Status.Uuid == request.Uuid) == true
                    ? null
                    : MasterError.NotFound("unknown_update", $"no unacknowledged update '{request.Uuid}' for task '{request.TaskId}'");
            }

            var acked = queue.Dequeue();
            if (queue.Count > 0)
            {
                SendPending(framework, queue.Peek(), Now);
            }
            else
            {
                framework.PendingUpdates.Remove(request.TaskId!);
            }

            // Once a terminal update is acknowledged the task needs no more durability (Mesos removes it then too).
            if (TaskStates.TryParseMesosName(acked.Status.State, out var state) && state.IsTerminal() && queue.Count == 0 &&
                _tasks.TryGetValue(request.TaskId!, out var task) && task.State.IsTerminal())
            {
                _tasks.Remove(task.Id);
                UnpersistTask(task.Id);
                if (_agents.TryGetValue(task.AgentId, out var agent))
                {
                    agent.TaskIds.Remove(task.Id);
                }
            }

            return null;
        }
    }

    /// <summary>
    /// RECONCILE: explicit (listed tasks; unknown ones answer TASK_UNKNOWN) or implicit (empty list: every live task
    /// of the framework). Answers carry no uuid and need no acknowledgement.
    /// </summary>
    public MasterError? Reconcile(string frameworkId, ReconcileRequest request)
    {
        using (Mutate())
        {
            if (!_frameworks.TryGetValue(frameworkId, out var framework))
            {
                return UnknownFramework(frameworkId);
            }

            var now = Now;
            var answers = new List<SchedulerStatus>();
            if (request.Tasks is null || request.Tasks.Count == 0)
            {
                answers.AddRange(framework.Tasks.Values.Select(t => Reconciled(t, now)));
            }
            else
            {
                foreach (var item in request.Tasks)
                {
                    answers.Add(_tasks.TryGetValue(item.TaskId, out var task) && task.FrameworkId == frameworkId
                        ? Reconciled(task, now)
                        : new SchedulerStatus
                        {
                            TaskId = item.TaskId,
                            FrameworkId = frameworkId,
                            AgentId = item.AgentId,
                            State = TaskState.Unknown.ToMesosName(),
                            Reason = "REASON_RECONCILIATION",
                            Message = "the master does not know this task",
                            Timestamp = Seconds(now),
                        });
                }
            }

            framework.Connection?.EnsureCapacity(answers.Count);
            foreach (var answer in answers)
            {
                framework.Connection?.Send(new SchedulerEvent { Type = "UPDATE", Update = answer });
            }

            return null;
        }
    }

    public MasterError? Suppress(string frameworkId) => WithFramework(frameworkId, f =>
    {
        f.Suppressed = true;
        _allocator.Suppress(f.Id);
    });

    public MasterError? Revive(string frameworkId) => WithFramework(frameworkId, f =>
    {
        f.Suppressed = false;
        _allocator.Revive(f.Id);
    });

    private MasterError? WithFramework(string frameworkId, Action<FrameworkEntry> action)
    {
        using (Mutate())
        {
            if (!_frameworks.TryGetValue(frameworkId, out var framework))
            {
                return UnknownFramework(frameworkId);
            }

            action(framework);
            _view.FrameworkChanged(framework.Id);
            return null;
        }
    }

    private static SchedulerStatus Reconciled(TaskEntry task, DateTimeOffset now) =>
        task.Statuses.Count > 0
            ? ToSchedulerStatus(task.Statuses[^1], requireAck: false) with { State = task.State.ToMesosName(), Reason = "REASON_RECONCILIATION" }
            : new SchedulerStatus
            {
                TaskId = task.Id,
                FrameworkId = task.FrameworkId,
                AgentId = task.AgentId,
                State = task.State.ToMesosName(),
                Reason = "REASON_RECONCILIATION",
                Timestamp = Seconds(now),
            };

    private static MasterError UnknownFramework(string frameworkId) =>
        MasterError.NotFound("unknown_framework", $"framework '{frameworkId}' is not registered; subscribe first");
}
