using Minuet.ControlPlane.Allocation;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Master;

/// <summary>Time-driven work: agent loss, update retries, scheduler heartbeats and the allocation cycle.</summary>
internal sealed partial class MasterCore
{
    /// <summary>One pass of periodic work at <paramref name="now"/>; the host calls it every allocation interval.</summary>
    public void Tick(DateTimeOffset now)
    {
        using (Mutate())
        {
            if (_standby)
            {
                return;
            }

            var silence = _options.AgentPingTimeout * _options.MaxAgentPingTimeouts;
            foreach (var agent in _agents.Values)
            {
                if (agent.Status == AgentStatus.Active && now - agent.LastSeen > silence)
                {
                    MarkUnreachable(agent, now, $"no heartbeat for {silence.TotalSeconds:0} s ({_options.MaxAgentPingTimeouts} × {_options.AgentPingTimeout.TotalSeconds:0} s)");
                }
                else if (agent.Status == AgentStatus.Recovered && now - agent.LastSeen > _options.AgentReregisterTimeout)
                {
                    MarkUnreachable(agent, now, $"did not re-register within {_options.AgentReregisterTimeout.TotalSeconds:0} s of the master's restart");
                }
            }

            foreach (var framework in _frameworks.Values)
            {
                if (!framework.Connected)
                {
                    continue;
                }

                foreach (var queue in framework.PendingUpdates.Values)
                {
                    if (queue.Count > 0 && (queue.Peek().LastSent is not { } sent || now - sent >= _options.StatusUpdateRetry))
                    {
                        SendPending(framework, queue.Peek(), now, retry: true);
                    }
                }
            }

            if (now - _lastSchedulerHeartbeat >= _options.SchedulerHeartbeat)
            {
                _lastSchedulerHeartbeat = now;
                foreach (var framework in _frameworks.Values)
                {
                    framework.Connection?.Send(SchedulerEvent.Heartbeat);
                }
            }

            if (_writes.HasDirty)
            {
                FlushDirty();
            }

            RescindExpiredOffers(now);
            AllocateOffers(now);
        }

        TeardownExpiredFrameworks(now);
    }

    /// <summary>Operator RESERVE: free unreserved resources of an agent become reserved to a role (persisted).</summary>
    public MasterError? Reserve(ReservationRequest request) => ChangeReservation(request, reserve: true);

    /// <summary>Operator UNRESERVE: free resources reserved to a role go back to the unreserved pool.</summary>
    public MasterError? Unreserve(ReservationRequest request) => ChangeReservation(request, reserve: false);

    /// <summary>Sets a role's weight and/or quota (not persisted: operators re-apply them, as Mesos flags do).</summary>
    public MasterError? ConfigureRole(RoleConfigRequest request)
    {
        var errors = new FieldErrorList();
        if (Roles.Validate(request.Role) is { } roleError)
        {
            errors.Add("/role", roleError);
        }

        if (request.Weight is { } w && (w <= 0 || double.IsNaN(w) || double.IsInfinity(w)))
        {
            errors.Add("/weight", "must be a positive number");
        }

        if (errors.Any)
        {
            return MasterError.Invalid(errors.ToList());
        }

        using (Mutate())
        {
            if (request.Weight is { } weight)
            {
                _allocator.SetWeight(request.Role!, weight);
            }

            if (request.QuotaGuarantee is not null || request.QuotaLimit is not null)
            {
                _allocator.SetQuota(request.Role!, new RoleQuota(request.QuotaGuarantee.ToResources(),
                    request.QuotaLimit is null ? null : request.QuotaLimit.ToResources()));
            }

            return null;
        }
    }

    private MasterError? ChangeReservation(ReservationRequest request, bool reserve)
    {
        var errors = new FieldErrorList();
        if (string.IsNullOrWhiteSpace(request.AgentId))
        {
            errors.Add("/agent_id", "is required");
        }

        if (request.Role == Roles.Default)
        {
            errors.Add("/role", "cannot reserve to the default role '*'");
        }
        else if (Roles.Validate(request.Role) is { } roleError)
        {
            errors.Add("/role", roleError);
        }

        if (request.Resources is null)
        {
            errors.Add("/resources", "is required");
        }

        if (errors.Any)
        {
            return MasterError.Invalid(errors.ToList());
        }

        using (Mutate())
        {
            if (!_agents.TryGetValue(request.AgentId!, out var agent) || agent.Status != AgentStatus.Active)
            {
                return MasterError.NotFound(ProtocolErrorCodes.UnknownAgent, $"agent '{request.AgentId}' is not registered and active");
            }

            var resources = request.Resources!.ToResources();
            var failure = reserve
                ? _allocator.Reserve(agent.Id, request.Role!, resources)
                : _allocator.Unreserve(agent.Id, request.Role!, resources);
            if (failure is not null)
            {
                return new MasterError(409, "insufficient_resources", failure);
            }

            var held = _agents.ReservationsOn(agent.Id).GetValueOrDefault(request.Role!);
            _agents.SetReservation(agent.Id, request.Role!, reserve ? held + resources : held - resources);
            PersistReservation(agent.Id, request.Role!);
            PublishAgent(agent);
            return null;
        }
    }
}
