using Minuet.ControlPlane.Allocation;

namespace Minuet.ControlPlane.Master;

/// <summary>
/// Operator calls of Mesos's v1 API that need master state of their own: quota configurations (UPDATE_QUOTA /
/// GET_QUOTA) and agents an operator declared gone (MARK_AGENT_GONE). Both are kept in memory only: after a master
/// restart the operator applies them again (Mesos keeps them in its registry).
/// </summary>
internal sealed partial class MasterCore
{
    private readonly Dictionary<string, RoleQuota> _quotaConfigs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _goneAgents = new(StringComparer.Ordinal);

    /// <summary>Configured quotas by role (read under the master lock).</summary>
    internal IReadOnlyDictionary<string, RoleQuota> QuotaConfigs => _quotaConfigs;

    /// <summary>Agents marked gone; their re-registration is refused.</summary>
    internal IReadOnlySet<string> GoneAgents => _goneAgents;

    /// <summary>
    /// UPDATE_QUOTA: all or nothing. A config with no guarantee and no limit resets the role to no quota. The
    /// allocator enforces the result (guarantees allocated first, limits never exceeded).
    /// </summary>
    public void UpdateQuotas(IReadOnlyList<(string Role, Resources Guarantee, Resources? Limit)> configs)
    {
        lock (_gate)
        {
            foreach (var (role, guarantee, limit) in configs)
            {
                if (guarantee.IsEmpty && limit is null)
                {
                    _quotaConfigs.Remove(role);
                    _allocator.SetQuota(role, null);
                    continue;
                }

                var quota = new RoleQuota(guarantee, limit);
                _quotaConfigs[role] = quota;
                _allocator.SetQuota(role, quota);
            }
        }
    }

    /// <summary>
    /// MARK_AGENT_GONE: the agent never comes back. Its live tasks become TASK_GONE_BY_OPERATOR, its resources leave
    /// the allocator, it leaves the state, and a later registration under its id is refused. Idempotent.
    /// </summary>
    public MasterError? MarkAgentGone(string agentId)
    {
        lock (_gate)
        {
            if (_goneAgents.Contains(agentId))
            {
                return null;
            }

            if (!_agents.TryGetValue(agentId, out var agent))
            {
                return MasterError.NotFound(Protocol.ProtocolErrorCodes.UnknownAgent, $"Agent '{agentId}' not found");
            }

            var now = Now;
            _goneAgents.Add(agentId);
            foreach (var taskId in agent.TaskIds.ToList())
            {
                if (_tasks.TryGetValue(taskId, out var task) && !task.State.IsTerminal())
                {
                    ApplyStatus(task, MasterStatus(task, TaskState.GoneByOperator, "REASON_SLAVE_REMOVED_BY_OPERATOR",
                        $"Agent {agentId} was marked gone by an operator", now), now);
                }
            }

            agent.Status = AgentStatus.Unreachable;
            _allocator.RemoveAgent(agentId);
            RescindOffersOn(agentId);
            PublishAgentRemoved(agentId);
            Log.AgentUnreachable(_log, agentId, "marked gone by an operator");
            return null;
        }
    }

    /// <summary>The refusal a gone agent gets when it tries to register again (Mesos tells it to shut down).</summary>
    private MasterError? RefuseGone(string? agentId) =>
        agentId is not null && _goneAgents.Contains(agentId)
            ? new MasterError(403, "agent_gone", $"agent '{agentId}' was marked gone by an operator and may not register again")
            : null;
}
