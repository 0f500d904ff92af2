using Minuet.ControlPlane.Allocation;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Master;

/// <summary>The agent side: registration, re-registration with tasks, heartbeats, status updates, loss.</summary>
internal sealed partial class MasterCore
{
    /// <summary>
    /// Registers a new agent or re-registers a known one (or one the master lost, adopting its id and tasks). Tasks
    /// the agent reports come back with the state it reports; tasks the master knows there but the agent does not
    /// are dropped (still staging) or gone; reported tasks the master no longer wants are returned to kill.
    /// </summary>
    public (RegisterAgentResponse? Response, MasterError? Error) RegisterAgent(RegisterAgentRequest request)
    {
        var errors = ProtocolValidator.Validate(request);
        if (errors.Count > 0)
        {
            return (null, MasterError.Invalid(errors));
        }

        // A new agent's id is its own (taken from the counter under the lock), so only a known id needs a claim.
        return StoreThenApply(request.AgentId is { } known ? "agent:" + known : null, () => CheckRegistration(request));
    }

    /// <summary>
    /// Under the lock: the agent record (and, for a new agent, the id counter) to store. An agent is told its id only
    /// once the store holds it, and a failed write leaves the master as it was (the agent registers again).
    /// </summary>
    private Staged<(RegisterAgentResponse?, MasterError?)> CheckRegistration(RegisterAgentRequest request)
    {
        if (_agents.RefuseGone(request.AgentId) is { } gone)
        {
            return Staged<(RegisterAgentResponse?, MasterError?)>.Done((null, gone));
        }

        var now = Now;
        bool fresh = request.AgentId is null;
        string id = request.AgentId ?? $"{MasterId}-S{_agents.NextId}";
        _agents.TryGetValue(id, out var existing);
        var declared = ResourceConversions.ToAgentResources(request.Resources, request.ReservedResources);
        var stored = new Storage.StoredAgent
        {
            Id = id,
            Hostname = request.Hostname,
            Address = request.Address,
            Port = request.Port,
            Resources = declared.Unreserved.ToResourceSet(),
            ReservedResources = declared.Reserved.ToDictionary(p => p.Key, p => p.Value.ToResourceSet(), StringComparer.Ordinal),
            Attributes = request.Attributes ?? new Dictionary<string, string>(),
            Version = request.Version,
            RegisteredTime = Seconds(existing?.RegisteredTime ?? now),
        };

        // The id is taken now, so a registration checked while this one is being stored gets the next one.
        long nextAgent = fresh ? _agents.NextId + 1 : _agents.NextId;
        _agents.NextId = nextAgent;
        return Staged<(RegisterAgentResponse?, MasterError?)>.Change(
            s =>
            {
                if (fresh)
                {
                    s.PutMeta(MetaNextAgent, nextAgent.ToString(System.Globalization.CultureInfo.InvariantCulture));
                }

                s.PutAgent(stored);
            },
            error =>
            {
                if (error is not null)
                {
                    if (fresh && _agents.NextId == nextAgent)
                    {
                        // Nobody took an id after this one: it is free again, as if the registration never came.
                        _agents.NextId = nextAgent - 1;
                    }

                    return (null, error);
                }

                // Marked gone while it was stored: the gone list, written after the agent, keeps it out after a restart too.
                return _agents.RefuseGone(id) is { } goneMeanwhile ? (null, goneMeanwhile) : (ApplyRegistration(request, id, declared, stored.Attributes, Now), null);
            });
    }

    /// <summary>Under the lock, once the agent is stored: the agent (re)joins with the tasks it reports.</summary>
    private RegisterAgentResponse ApplyRegistration(RegisterAgentRequest request, string id, AgentResources declared, IReadOnlyDictionary<string, string> attributes, DateTimeOffset now)
    {
        var kills = new List<string>();
        bool known = _agents.TryGetValue(id, out var existing);
        var agent = existing ?? new AgentEntry
        {
            Id = id,
            Hostname = request.Hostname,
            Address = request.Address,
            Declared = new AgentResources(Resources.Empty),
            RegisteredTime = now,
        };
        agent.Hostname = request.Hostname;
        agent.Address = request.Address;
        agent.Port = request.Port;
        agent.Declared = declared;
        agent.Attributes = attributes;
        agent.Version = request.Version;
        agent.LastSeen = now;
        agent.Status = AgentStatus.Active;
        if (known)
        {
            agent.ReregisteredTime = now;
        }

        _agents.Put(agent);
        ReconcileReportedTasks(agent, request.Tasks ?? [], kills, now);
        _allocator.AddAgent(id, _agents.TotalOf(agent), UsedOn(agent));
        PublishAgent(agent);
        Log.AgentRegistered(_log, id, request.Hostname, request.Address, known ? "re-registered" : "registered");
        return new RegisterAgentResponse
        {
            AgentId = agent.Id,
            MasterId = MasterId,
            HeartbeatIntervalSeconds = _options.HeartbeatInterval.TotalSeconds,
            KillTaskIds = kills,
        };
    }

    /// <summary>A heartbeat: the agent is alive. Unknown, unreachable or not yet re-registered agents get 404 and re-register.</summary>
    public (HeartbeatResponse? Response, MasterError? Error) Heartbeat(string agentId, HeartbeatRequest request)
    {
        using (Mutate())
        {
            if (!_agents.TryGetValue(agentId, out var agent) || agent.Status != AgentStatus.Active)
            {
                return (null, MasterError.NotFound(ProtocolErrorCodes.UnknownAgent,
                    $"agent '{agentId}' is not registered with this master; re-register with its tasks"));
            }

            agent.LastSeen = Now;
            var kills = new List<string>();
            foreach (var report in request.Tasks ?? [])
            {
                // Implicit reconciliation: the agent runs something the master considers finished, never launched, or
                // whose framework was torn down.
                if (!_tasks.TryGetValue(report.TaskId, out var task) || task.State.IsTerminal() || task.AgentId != agentId)
                {
                    kills.Add(report.TaskId);
                }
            }

            return (new HeartbeatResponse { HeartbeatIntervalSeconds = _options.HeartbeatInterval.TotalSeconds, MasterId = MasterId, KillTaskIds = kills }, null);
        }
    }

    /// <summary>Records a status update from an agent, then acknowledges it. A repeated uuid changes nothing.</summary>
    public (StatusAcknowledgement? Ack, MasterError? Error) StatusUpdate(string agentId, TaskStatusUpdate update)
    {
        var errors = ProtocolValidator.Validate(update);
        if (errors.Count > 0)
        {
            return (null, MasterError.Invalid(errors));
        }

        if (update.AgentId != agentId)
        {
            return (null, MasterError.Field("/agent_id", $"'{update.AgentId}' does not match the path's agent '{agentId}'"));
        }

        TaskEntry? task;
        long revision;
        StoreWrite write;
        using (Mutate())
        {
            if (!_agents.TryGetValue(agentId, out var agent) || agent.Status != AgentStatus.Active)
            {
                return (null, MasterError.NotFound(ProtocolErrorCodes.UnknownAgent,
                    $"agent '{agentId}' is not registered with this master; re-register with its tasks"));
            }

            agent.LastSeen = Now;
            if (!_tasks.TryGetValue(update.TaskId, out task))
            {
                return (new StatusAcknowledgement(update.Uuid), null);
            }

            if (task.WritingUuid is not null)
            {
                // Agents send one update per task at a time; this is a resend racing the write of the first.
                return (null, MasterError.StoreUnavailable($"an update of task '{task.Id}' is being stored; send it again"));
            }

            if (task.Seen(update.Uuid))
            {
                return (new StatusAcknowledgement(update.Uuid), null);
            }

            if (TaskTransitions.Validate(task.State, update.ParsedState) is { } reason)
            {
                task.Remember(update.Uuid);
                Log.UpdateIgnored(_log, update.TaskId, update.State, reason);
                return (new StatusAcknowledgement(update.Uuid), null);
            }

            // Stored before it is applied or acknowledged, but written outside the lock: if the store refuses, the
            // agent gets 503, keeps the update and sends it again, and the master has not moved on without it.
            var prospective = Prospective(task, update);
            write = _writes.Enqueue(s => s.PutTask(prospective));
            task.WritingUuid = update.Uuid;
            revision = task.Revision;
        }

        _writes.WaitFor(write);
        using (Mutate())
        {
            task.WritingUuid = null;
            if (write.Error is { } storeError)
            {
                _metrics.StatusUpdatesRefused.Increment();
                return (null, storeError);
            }

            if (!_tasks.TryGetValue(update.TaskId, out var current) || !ReferenceEquals(current, task))
            {
                // Forgotten meanwhile (its framework torn down): the removal was queued after this write.
                return (new StatusAcknowledgement(update.Uuid), null);
            }

            if (task.Revision != revision)
            {
                // The master changed the task meanwhile (agent lost, kill) and queued that after this write, so the
                // store holds the newer state: the agent sends the update again and it is judged against it.
                return (null, MasterError.StoreUnavailable($"task '{task.Id}' changed while the update was stored; send it again"));
            }

            ApplyStatus(task, update, Now, stored: true);
            return (new StatusAcknowledgement(update.Uuid), null);
        }
    }

    /// <summary>Result of a launch sent to an agent: a refused or undeliverable launch ends the task.</summary>
    public void OnLaunchResult(string taskId, AgentCallResult result)
    {
        if (result.Accepted)
        {
            return;
        }

        using (Mutate())
        {
            if (!_tasks.TryGetValue(taskId, out var task) || task.State != TaskState.Staging)
            {
                return;
            }

            var error = result.Error;
            bool unreachable = error?.Code == "unreachable";
            var state = unreachable ? TaskState.Dropped : TaskState.Error;
            var reason = unreachable ? "REASON_SLAVE_DISCONNECTED" : TaskStatusReasons.TaskInvalid;
            ApplyStatus(task, MasterStatus(task, state, reason, "launch failed: " + (error?.Message ?? "unknown error"), Now), Now);
        }
    }

    /// <summary>Result of a kill: an agent that never heard of the task means it is gone, so it is killed here.</summary>
    public void OnKillResult(string taskId, AgentCallResult result)
    {
        if (result.Accepted || result.Error?.Code != ProtocolErrorCodes.UnknownTask)
        {
            return;
        }

        using (Mutate())
        {
            if (_tasks.TryGetValue(taskId, out var task) && !task.State.IsTerminal())
            {
                ApplyStatus(task, MasterStatus(task, TaskState.Killed, "REASON_TASK_UNKNOWN", "killed: the agent did not know the task", Now), Now);
            }
        }
    }

    private void ReconcileReportedTasks(AgentEntry agent, IReadOnlyList<ReportedTask> reported, List<string> kills, DateTimeOffset now)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var report in reported)
        {
            var launch = report.Launch with { AgentId = agent.Id };
            var status = report.LatestStatus with { AgentId = agent.Id };
            seen.Add(launch.TaskId);
            if (_tasks.TryGetValue(launch.TaskId, out var task))
            {
                if (task.State.IsTerminal() && task.State != TaskState.Lost)
                {
                    kills.Add(task.Id);
                    continue;
                }

                if (task.KillRequested)
                {
                    kills.Add(task.Id);
                }

                if (status.ParsedState != task.State && TaskTransitions.IsAllowed(task.State, status.ParsedState))
                {
                    ApplyStatus(task, task.Seen(status.Uuid) ? status with { Uuid = Guid.NewGuid().ToString() } : status, now);
                }

                continue;
            }

            if (_frameworks.WasTornDown(launch.FrameworkId))
            {
                kills.Add(launch.TaskId);
                continue;
            }

            // A task the master lost (state dir wiped, or the store predates it): adopt it so nothing is lost.
            var framework = FrameworkFor(launch.FrameworkId, launch.FrameworkName, launch.Role, now);
            task = new TaskEntry { Launch = launch, State = TaskState.Staging, Slice = SliceOf(launch, null) };
            _tasks.Put(task);
            framework.Tasks[task.Id] = task;
            agent.TaskIds.Add(task.Id);
            if (status.ParsedState is TaskState.Staging or TaskState.Unknown)
            {
                PersistTask(task);
                PublishTask(task);
            }
            else
            {
                ApplyStatus(task, status, now);
            }
        }

        foreach (var taskId in agent.TaskIds.ToList())
        {
            if (seen.Contains(taskId) || !_tasks.TryGetValue(taskId, out var task) || task.State.IsTerminal())
            {
                continue;
            }

            // The agent does not know a task the master placed there: a launch still in flight stays staging briefly.
            if (task.State == TaskState.Staging && now - task.LaunchedAt < TimeSpan.FromSeconds(30))
            {
                continue;
            }

            var (state, reason) = task.State == TaskState.Staging ? (TaskState.Dropped, "REASON_TASK_UNKNOWN") : (TaskState.Gone, "REASON_SLAVE_RESTARTED");
            ApplyStatus(task, MasterStatus(task, state, reason, "the agent re-registered without this task", now), now);
        }
    }

    private void MarkUnreachable(AgentEntry agent, DateTimeOffset now, string why)
    {
        agent.Status = AgentStatus.Unreachable;
        _allocator.RemoveAgent(agent.Id);
        RescindOffersOn(agent.Id);
        foreach (var taskId in agent.TaskIds.ToList())
        {
            if (_tasks.TryGetValue(taskId, out var task) && !task.State.IsTerminal() && task.State != TaskState.Unreachable)
            {
                ApplyStatus(task, MasterStatus(task, TaskState.Unreachable, "REASON_SLAVE_REMOVED", $"agent {agent.Id} is unreachable: {why}", now), now);
            }
        }

        PublishAgent(agent);

        // Mesos tells every framework that it lost the agent (v1 FAILURE with only the agent id).
        foreach (var framework in _frameworks.Values)
        {
            framework.Connection?.Send(new SchedulerEvent { Type = "FAILURE", FailedAgentId = agent.Id });
        }

        Log.AgentUnreachable(_log, agent.Id, why);
    }

    private List<(string FrameworkId, string Role, AllocatedSlice Slice)> UsedOn(AgentEntry agent)
    {
        var used = new List<(string, string, AllocatedSlice)>();
        foreach (var task in _tasks.LiveOn(agent))
        {
            var role = _frameworks.TryGetValue(task.FrameworkId, out var f) ? f.Role : task.Role;
            used.Add((task.FrameworkId, role, task.Slice));
        }

        return used;
    }

    private static AgentEndpoint EndpointOf(AgentEntry agent) => new(agent.Id, agent.Address, agent.Port);
}
