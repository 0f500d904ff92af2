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

            var offer = new OfferEntry($"{MasterId}-O{_nextOffer++}", framework.Id, agent.Id, made.Role,
                new AllocatedSlice(made.Unreserved, made.Reserved), now);
            framework.Offers[offer.Id] = offer;
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
    /// ACCEPT: validates every task against the offers (collecting each error with its field path); on success the
    /// tasks are staged and sent to the agent and the unused resources return, filtered for the refuse time. An
    /// invalid accept changes nothing: the offers stay outstanding.
    /// </summary>
    public MasterError? Accept(string frameworkId, AcceptRequest request)
    {
        var launches = new List<(AgentEndpoint, LaunchTaskRequest)>();
        lock (_gate)
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

            if (errors.Any)
            {
                return MasterError.Invalid(errors.ToList());
            }

            var agent = _agents[offers[0].AgentId];
            var pool = default(AllocatedSlice);
            foreach (var offer in offers)
            {
                pool += offer.Slice;
            }

            var staged = new List<(TaskEntry Task, AllocatedSlice Slice)>();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            var tasks = request.Tasks ?? [];
            for (int i = 0; i < tasks.Count; i++)
            {
                var (launch, slice) = ValidateTask(tasks[i], $"/tasks/{i}", framework, agent, ref pool, ids, errors);
                if (launch is not null)
                {
                    staged.Add((new TaskEntry { Launch = launch, Slice = slice, LaunchedAt = Now }, slice));
                }
            }

            if (errors.Any)
            {
                return MasterError.Invalid(errors.ToList());
            }

            var now = Now;
            foreach (var offer in offers)
            {
                framework.Offers.Remove(offer.Id);
            }

            foreach (var (task, _) in staged)
            {
                _tasks[task.Id] = task;
                framework.Tasks[task.Id] = task;
                agent.TaskIds.Add(task.Id);
                PersistTask(task);
                PublishTask(task);
                launches.Add((EndpointOf(agent), task.Launch));
            }

            // What was offered but not used goes back, refused for the filter time (Mesos applies it to accepts too).
            var refuse = RefuseOf(request.Filters);
            _allocator.Recover(agent.Id, framework.Id, pool, refuse, now);
        }

        foreach (var (agent, launch) in launches)
        {
            _dispatcher.Launch(agent, launch);
        }

        return null;
    }

    /// <summary>DECLINE: the offers' resources return, refused for <c>filters.refuse_seconds</c> (default 5 s).</summary>
    public MasterError? Decline(string frameworkId, DeclineRequest request)
    {
        lock (_gate)
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
                if (framework.Offers.Remove(id, out var offer))
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

    private (LaunchTaskRequest? Launch, AllocatedSlice Slice) ValidateTask(
        TaskSpec spec, string path, FrameworkEntry framework, AgentEntry agent, ref AllocatedSlice pool, HashSet<string> ids, FieldErrorList errors)
    {
        if (spec is null)
        {
            errors.Add(path, "is null");
            return (null, default);
        }

        int before = errors.Count;
        if (string.IsNullOrWhiteSpace(spec.TaskId))
        {
            errors.Add(path + "/task_id", "is required");
        }
        else if (!ids.Add(spec.TaskId) || _tasks.ContainsKey(spec.TaskId))
        {
            errors.Add(path + "/task_id", $"'{spec.TaskId}' is already in use");
        }

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
            KillGracePeriodSeconds = spec.KillGracePeriodSeconds,
        };
        errors.AddAll(path, ProtocolValidator.Validate(launch));
        var need = spec.Resources!.ToResources();
        if (pool.Take(need) is not { } slice)
        {
            errors.Add(path + "/resources", $"{need} does not fit in what is left of the offers ({pool.Total})");
            return (null, default);
        }

        pool -= slice;
        return errors.Count > before ? (null, default) : (launch, slice);
    }

    private void RescindOffersOf(FrameworkEntry framework)
    {
        var now = Now;
        foreach (var offer in framework.Offers.Values)
        {
            _allocator.Recover(offer.AgentId, framework.Id, offer.Slice, null, now);
            framework.Connection?.Send(new SchedulerEvent { Type = "RESCIND", RescindOfferId = offer.Id });
        }

        framework.Offers.Clear();
    }

    private void RescindOffersOn(string agentId)
    {
        foreach (var framework in _frameworks.Values)
        {
            foreach (var offer in framework.Offers.Values.Where(o => o.AgentId == agentId).ToList())
            {
                framework.Offers.Remove(offer.Id);
                framework.Connection?.Send(new SchedulerEvent { Type = "RESCIND", RescindOfferId = offer.Id });
            }
        }
    }
}
