using Minuet.ControlPlane.Allocation;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Master;

/// <summary>Offers: made from allocator output, accepted with launches, declined with filters, rescinded.</summary>
internal sealed partial class MasterCore
{

    /// <summary>Runs one allocation cycle and sends the offers (one OFFERS event per framework).</summary>
    public int AllocateOffers(DateTimeOffset now)
    {
        var offers = _allocator.Allocate(now);
        if (offers.Count == 0)
        {
            return 0;
        }

        var byFramework = new Dictionary<string, List<OfferInfo>>(StringComparer.Ordinal);
        foreach (var made in offers)
        {
            if (!_frameworks.TryGetValue(made.FrameworkId, out var framework) || !_agents.TryGetValue(made.AgentId, out var agent))
            {
                _allocator.Recover(made.AgentId, made.FrameworkId, new AllocatedSlice(made.Unreserved, made.Reserved), null, now);
                continue;
            }

            var offer = new OfferEntry(_offers.NextId(MasterId), framework.Id, agent.Id, made.Role,
                new AllocatedSlice(made.Unreserved, made.Reserved), now);
            _offers.Add(framework, offer);
            Metrics.OffersSent.Increment();
            if (!byFramework.TryGetValue(framework.Id, out var list))
            {
                list = [];
                byFramework[framework.Id] = list;
            }

            list.Add(new OfferInfo
            {
                Id = offer.Id,
                FrameworkId = framework.Id,
                AgentId = agent.Id,
                Hostname = agent.Hostname,
                Address = agent.Address,
                Port = agent.Port,
                Role = offer.Role,
                Resources = offer.Slice.Total.ToResourceSet(),
                ReservedResources = offer.Slice.Reserved.IsEmpty ? null : offer.Slice.Reserved.ToResourceSet(),
                Attributes = agent.Attributes,
            });
        }

        foreach (var (frameworkId, list) in byFramework)
        {
            _frameworks[frameworkId].Connection?.Send(new SchedulerEvent { Type = "OFFERS", Offers = list });
        }

        return offers.Count;
    }

    /// <summary>
    /// ACCEPT, as Mesos does it: offer errors (unknown, rescinded, of another agent) and malformed task lists (a task
    /// without an id, an id used twice) refuse the whole accept with 422, and the named offers that were valid go
    /// back unfiltered, so a refused accept never leaks an offer. Otherwise each task stands alone: an invalid one
    /// ends as <c>TASK_ERROR</c> (reason <c>REASON_TASK_INVALID</c>, message naming the field), the valid ones are
    /// staged and launched, and whatever the offers held beyond them returns filtered for the refuse time.
    /// The staged tasks are written to the store before anything changes in memory; if that write fails the accept
    /// is refused with 503 and the offers return, so memory and store never disagree.
    /// </summary>
    public MasterError? Accept(string frameworkId, AcceptRequest request)
    {
        var launches = new List<(AgentEndpoint, LaunchTaskRequest)>();
        AcceptPlan plan;
        StoreWrite? write;
        using (Mutate())
        {
            if (!_frameworks.TryGetValue(frameworkId, out var framework))
            {
                return UnknownFramework(frameworkId);
            }

            var errors = new FieldErrorList();
            var offers = new List<OfferEntry>();
            var offerIds = request.OfferIds ?? [];
            if (offerIds.Count == 0)
            {
                errors.Add("/offer_ids", "at least one offer is required");
            }

            for (int i = 0; i < offerIds.Count; i++)
            {
                if (!framework.Offers.TryGetValue(offerIds[i], out var offer))
                {
                    errors.Add($"/offer_ids/{i}", $"offer '{offerIds[i]}' is not outstanding for this framework (rescinded, used or never made)");
                }
                else if (offers.Count > 0 && offers[0].AgentId != offer.AgentId)
                {
                    errors.Add($"/offer_ids/{i}", "all offers of one accept must be of the same agent");
                }
                else if (!offers.Contains(offer))
                {
                    offers.Add(offer);
                }
            }

            var tasks = request.Tasks ?? [];
            ValidateTaskIds(tasks, errors);
            var now = Now;
            if (errors.Any)
            {
                ReleaseOffers(framework, offers, now);
                _metrics.AcceptsRefused.Increment();
                return MasterError.Invalid(errors.ToList());
            }

            var agent = _agents[offers[0].AgentId];
            var pool = default(AllocatedSlice);
            foreach (var offer in offers)
            {
                pool += offer.Slice;
            }

            var staged = new List<TaskEntry>();
            var invalid = new List<(string TaskId, IReadOnlyList<Protocol.FieldError> Errors)>();
            for (int i = 0; i < tasks.Count; i++)
            {
                var taskErrors = new FieldErrorList();
                var (launch, slice) = ValidateTask(tasks[i], string.Empty, framework, agent, ref pool, taskErrors);
                if (launch is not null)
                {
                    staged.Add(new TaskEntry { Launch = launch, Slice = slice, LaunchedAt = now });
                }
                else
                {
                    invalid.Add((tasks[i].TaskId!, taskErrors.ToList()));
                }
            }

            foreach (var offer in offers)
            {
                _offers.Remove(framework, offer.Id, out _);
            }

            plan = new AcceptPlan(framework, agent, offers, staged, invalid, pool, RefuseOf(request.Filters));
            if (staged.Count == 0)
            {
                Launch(plan, launches, now);
                write = null;
            }
            else
            {
                // Durable before memory changes, but written outside the lock: the offers are taken and the task ids
                // held meanwhile, so no other accept can use either.
                var stored = staged.Select(StoredOf).ToList();
                write = _writes.Enqueue(s => s.PutTasks(stored));
                foreach (var task in staged)
                {
                    _tasks.HoldLaunching(task.Id);
                }
            }
        }

        if (write is not null)
        {
            _writes.WaitFor(write);
            using (Mutate())
            {
                var now = Now;
                foreach (var task in plan.Staged)
                {
                    _tasks.ReleaseLaunching(task.Id);
                }

                if (write.Error is { } storeError)
                {
                    // The offers return whole and unfiltered, as from a refused accept.
                    foreach (var offer in plan.Offers)
                    {
                        _allocator.Recover(offer.AgentId, frameworkId, offer.Slice, null, now);
                    }

                    return storeError;
                }

                if (!_frameworks.TryGetValue(frameworkId, out var framework) || !ReferenceEquals(framework, plan.Framework))
                {
                    // Torn down (or this master stepped down) while the tasks were written: they must not stay stored.
                    if (!_standby)
                    {
                        foreach (var task in plan.Staged)
                        {
                            Persist(new StoreKey(StoreKind.Task, task.Id));
                        }
                    }

                    return UnknownFramework(frameworkId);
                }

                Launch(plan, launches, now);
            }
        }

        foreach (var (agent, launch) in launches)
        {
            _dispatcher.Launch(agent, launch);
        }

        return null;
    }

    /// <summary>The accept's tasks go live and out; invalid ones end with TASK_ERROR; the rest of the offers returns filtered.</summary>
    private void Launch(AcceptPlan plan, List<(AgentEndpoint, LaunchTaskRequest)> launches, DateTimeOffset now)
    {
        var (framework, agent) = (plan.Framework, plan.Agent);
        foreach (var task in plan.Staged)
        {
            _tasks.Put(task);
            framework.Tasks[task.Id] = task;
            agent.TaskIds.Add(task.Id);
            PublishTask(task);
            launches.Add((EndpointOf(agent), task.Launch));
        }

        foreach (var (taskId, taskErrors) in plan.Invalid)
        {
            _metrics.TasksInvalid.Increment();
            ForwardUpdate(framework, InvalidTaskStatus(taskId, framework.Id, agent.Id, taskErrors, now), now);
        }

        // What was offered but not used goes back, refused for the filter time (Mesos applies it to accepts too).
        _allocator.Recover(agent.Id, framework.Id, plan.Pool, plan.Refuse, now);
    }

    private sealed record AcceptPlan(
        FrameworkEntry Framework,
        AgentEntry Agent,
        List<OfferEntry> Offers,
        List<TaskEntry> Staged,
        List<(string TaskId, IReadOnlyList<Protocol.FieldError> Errors)> Invalid,
        AllocatedSlice Pool,
        TimeSpan Refuse);

    /// <summary>
    /// Errors no per-task status can carry: a task without an id, or an id that clashes (a status for it would be
    /// read as news about the other task of that id).
    /// </summary>
    private void ValidateTaskIds(IReadOnlyList<TaskSpec> tasks, FieldErrorList errors)
    {
        var ids = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < tasks.Count; i++)
        {
            if (tasks[i] is null)
            {
                errors.Add($"/tasks/{i}", "is null");
            }
            else if (string.IsNullOrWhiteSpace(tasks[i].TaskId))
            {
                errors.Add($"/tasks/{i}/task_id", "is required");
            }
            else if (!ids.Add(tasks[i].TaskId!) || _tasks.IsTaken(tasks[i].TaskId!))
            {
                errors.Add($"/tasks/{i}/task_id", $"'{Truncated(tasks[i].TaskId!)}' is already in use");
            }
        }
    }

    /// <summary>Offers named by a refused accept return whole and unfiltered: the framework may use them again at once.</summary>
    private void ReleaseOffers(FrameworkEntry framework, List<OfferEntry> offers, DateTimeOffset now)
    {
        foreach (var offer in offers)
        {
            if (_offers.Remove(framework, offer.Id, out _))
            {
                _allocator.Recover(offer.AgentId, framework.Id, offer.Slice, null, now);
            }
        }
    }

    private static SchedulerStatus InvalidTaskStatus(string taskId, string frameworkId, string agentId, IReadOnlyList<Protocol.FieldError> errors, DateTimeOffset now) => new()
    {
        TaskId = taskId,
        FrameworkId = frameworkId,
        AgentId = agentId,
        State = TaskState.Error.ToMesosName(),
        Reason = TaskStatusReasons.TaskInvalid,
        Message = "invalid task: " + string.Join("; ", errors.Select(e => $"{e.Path} {string.Join(", ", e.Errors)}")),
        Timestamp = Seconds(now),
        Uuid = Guid.NewGuid().ToString(),
    };

    private static string Truncated(string text) => text.Length <= 64 ? text : string.Concat(text.AsSpan(0, 64), "…");

    /// <summary>DECLINE: the offers' resources return, refused for <c>filters.refuse_seconds</c> (default 5 s).</summary>
    public MasterError? Decline(string frameworkId, DeclineRequest request)
    {
        using (Mutate())
        {
            if (!_frameworks.TryGetValue(frameworkId, out var framework))
            {
                return UnknownFramework(frameworkId);
            }

            var ids = request.OfferIds ?? [];
            if (ids.Count == 0)
            {
                return MasterError.Field("/offer_ids", "at least one offer is required");
            }

            var now = Now;
            var refuse = RefuseOf(request.Filters);
            foreach (var id in ids)
            {
                // Declining an offer that is already gone is not an error (it may have been rescinded meanwhile).
                if (_offers.Remove(framework, id, out var offer))
                {
                    _allocator.Recover(offer.AgentId, framework.Id, offer.Slice, refuse, now);
                }
            }

            return null;
        }
    }

    private TimeSpan RefuseOf(OfferFilters? filters)
    {
        if (filters?.RefuseSeconds is not { } seconds)
        {
            return _options.Allocator.DefaultRefuse;
        }

        return seconds <= 0 || double.IsNaN(seconds) ? TimeSpan.Zero : TimeSpan.FromSeconds(Math.Min(seconds, _options.Allocator.MaxRefuse.TotalSeconds));
    }

    private static (LaunchTaskRequest? Launch, AllocatedSlice Slice) ValidateTask(
        TaskSpec spec, string path, FrameworkEntry framework, AgentEntry agent, ref AllocatedSlice pool, FieldErrorList errors)
    {
        int before = errors.Count;
        if (string.IsNullOrWhiteSpace(spec.Name))
        {
            errors.Add(path + "/name", "is required");
        }

        if (spec.Command is null)
        {
            errors.Add(path + "/command", "is required");
        }

        if (spec.Resources is null)
        {
            errors.Add(path + "/resources", "is required");
        }

        if (errors.Count > before)
        {
            return (null, default);
        }

        var launch = new LaunchTaskRequest
        {
            TaskId = spec.TaskId!,
            Name = spec.Name!,
            FrameworkId = framework.Id,
            FrameworkName = framework.Name,
            AgentId = agent.Id,
            Command = spec.Command!.ToCommandInfo(),
            Resources = spec.Resources!,
            Role = framework.Role,
            Labels = spec.Labels ?? [],
            Discovery = spec.Discovery,
            HealthCheck = spec.HealthCheck,
            Container = spec.Container,
            Executor = spec.Executor,
            TaskGroupExecutorId = spec.TaskGroupExecutorId,
            Data = spec.Data,
            KillGracePeriodSeconds = spec.KillGracePeriodSeconds,
        };
        errors.AddAll(path, ProtocolValidator.Validate(launch));
        if (errors.Count > before)
        {
            // Nothing is taken from the pool for an invalid task: its share returns with the rest.
            return (null, default);
        }

        var need = spec.Resources!.ToResources();
        if (pool.Take(need) is not { } slice)
        {
            errors.Add(path + "/resources", $"{need} does not fit in what is left of the offers ({pool.Total})");
            return (null, default);
        }

        pool -= slice;
        return (launch, slice);
    }

    /// <summary>
    /// <c>--offer-timeout</c>: an offer the framework neither used nor declined in time is rescinded (RESCIND on its
    /// stream) and its resources return unfiltered, so a framework that stalls or lost an answer cannot starve
    /// the cluster.
    /// </summary>
    private void RescindExpiredOffers(DateTimeOffset now)
    {
        if (_options.OfferTimeout is not { } timeout || timeout <= TimeSpan.Zero)
        {
            return;
        }

        foreach (var framework in _frameworks.Values)
        {
            if (framework.Offers.Count == 0)
            {
                continue;
            }

            foreach (var offer in framework.Offers.Values.Where(o => now - o.Created >= timeout).ToList())
            {
                _offers.Remove(framework, offer.Id, out _);
                _allocator.Recover(offer.AgentId, framework.Id, offer.Slice, null, now);
                framework.Connection?.Send(new SchedulerEvent { Type = "RESCIND", RescindOfferId = offer.Id });
                _metrics.OffersRescindedTimeout.Increment();
                Log.OfferTimedOut(_log, offer.Id, framework.Id, timeout.TotalSeconds);
            }
        }
    }

    private void RescindOffersOf(FrameworkEntry framework)
    {
        var now = Now;
        foreach (var offer in _offers.RemoveAll(framework))
        {
            _allocator.Recover(offer.AgentId, framework.Id, offer.Slice, null, now);
            framework.Connection?.Send(new SchedulerEvent { Type = "RESCIND", RescindOfferId = offer.Id });
        }
    }

    private void RescindOffersOn(string agentId)
    {
        foreach (var (framework, offer) in _offers.RemoveAllOn(agentId, _frameworks.Values))
        {
            framework.Connection?.Send(new SchedulerEvent { Type = "RESCIND", RescindOfferId = offer.Id });
        }
    }
}
