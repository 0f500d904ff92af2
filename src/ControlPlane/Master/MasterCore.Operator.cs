using System.Text.Json;
using Minuet.ControlPlane.Allocation;
using Minuet.ControlPlane.Storage;

namespace Minuet.ControlPlane.Master;

/// <summary>
/// Operator calls of Mesos's v1 API that need master state of their own: quota configurations (UPDATE_QUOTA /
/// GET_QUOTA) and agents an operator declared gone (MARK_AGENT_GONE). Both are written to the store (one meta key
/// each, the whole set as JSON, outside the master lock) before memory changes, as Mesos keeps them in its registry, so a master restart or a
/// new HA leader keeps them; a failed write refuses the call with 503 and changes nothing.
/// </summary>
internal sealed partial class MasterCore
{
    private const string MetaQuotas = "quotas";
    private const string MetaGoneAgents = "gone_agents";

    private readonly Dictionary<string, RoleQuota> _quotaConfigs = new(StringComparer.Ordinal);

    /// <summary>Configured quotas by role (read under the master lock).</summary>
    internal IReadOnlyDictionary<string, RoleQuota> QuotaConfigs => _quotaConfigs;

    /// <summary>Agents marked gone; their re-registration is refused.</summary>
    internal IReadOnlySet<string> GoneAgents => _agents.Gone;

    /// <summary>
    /// UPDATE_QUOTA: all or nothing. A config with no guarantee and no limit resets the role to no quota. The
    /// allocator enforces the result (guarantees allocated first, limits never exceeded). Null, or 503 when the store
    /// cannot take it (nothing changed).
    /// </summary>
    public MasterError? UpdateQuotas(IReadOnlyList<(string Role, Resources Guarantee, Resources? Limit)> configs) =>
        StoreThenApply(MetaQuotas, () =>
        {
            var next = new Dictionary<string, RoleQuota>(_quotaConfigs, StringComparer.Ordinal);
            foreach (var (role, guarantee, limit) in configs)
            {
                if (guarantee.IsEmpty && limit is null)
                {
                    next.Remove(role);
                }
                else
                {
                    next[role] = new RoleQuota(guarantee, limit);
                }
            }

            var json = QuotasJson(next);
            return Staged<MasterError?>.Change(s => s.PutMeta(MetaQuotas, json), error => error ?? ApplyQuotas(configs));
        });

    private MasterError? ApplyQuotas(IReadOnlyList<(string Role, Resources Guarantee, Resources? Limit)> configs)
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

        return null;
    }

    /// <summary>
    /// MARK_AGENT_GONE: the agent never comes back. Its live tasks become TASK_GONE_BY_OPERATOR, its resources leave
    /// the allocator, it leaves the state, and a later registration under its id is refused. Idempotent.
    /// </summary>
    public MasterError? MarkAgentGone(string agentId) =>
        StoreThenApply(MetaGoneAgents, () =>
        {
            if (_agents.IsGone(agentId))
            {
                return Staged<MasterError?>.Done(null);
            }

            if (!_agents.ContainsKey(agentId))
            {
                return Staged<MasterError?>.Done(UnknownAgent(agentId));
            }

            var json = JsonSerializer.Serialize(_agents.Gone.Append(agentId).Order(StringComparer.Ordinal).ToList(), StoreJsonContext.Default.ListString);
            return Staged<MasterError?>.Change(s => s.PutMeta(MetaGoneAgents, json), error => error ?? ApplyAgentGone(agentId));
        });

    private static MasterError UnknownAgent(string agentId) => MasterError.NotFound(Protocol.ProtocolErrorCodes.UnknownAgent, $"Agent '{agentId}' not found");

    private MasterError? ApplyAgentGone(string agentId)
    {
        // Agents are never forgotten within a term, so the agent checked before the write is still here.
        var now = Now;
        _agents.MarkGone(agentId);
        if (!_agents.TryGetValue(agentId, out var agent))
        {
            return null;
        }

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

    /// <summary>Quotas and gone agents from the store (master start, HA take-over); gone agents are not recovered.</summary>
    private void RecoverOperatorState(MasterStoreSnapshot snapshot)
    {
        if (snapshot.Meta.TryGetValue(MetaQuotas, out var quotas))
        {
            foreach (var stored in ReadMeta(quotas, StoreJsonContext.Default.ListStoredQuota) ?? [])
            {
                var quota = new RoleQuota(stored.Guarantee.ToResources(), stored.Limit?.ToResources());
                _quotaConfigs[stored.Role] = quota;
                _allocator.SetQuota(stored.Role, quota);
            }
        }

        if (snapshot.Meta.TryGetValue(MetaGoneAgents, out var gone))
        {
            foreach (var agentId in ReadMeta(gone, StoreJsonContext.Default.ListString) ?? [])
            {
                _agents.MarkGone(agentId);

                // Out of the state and never offered: an agent marked gone does not come back (Mesos removes it).
                if (_agents.TryGetValue(agentId, out var agent))
                {
                    agent.Status = AgentStatus.Unreachable;
                }
            }
        }
    }

    private static string QuotasJson(Dictionary<string, RoleQuota> quotas) => JsonSerializer.Serialize(
        quotas.OrderBy(q => q.Key, StringComparer.Ordinal)
            .Select(q => new StoredQuota { Role = q.Key, Guarantee = q.Value.Guarantee.ToResourceSet(), Limit = q.Value.Limit?.ToResourceSet() }).ToList(),
        StoreJsonContext.Default.ListStoredQuota);

    /// <summary>A meta value this master wrote; one it cannot read (hand-edited, another version) is ignored with a log line, never fatal.</summary>
    private T? ReadMeta<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> type)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(json, type);
        }
        catch (JsonException e)
        {
            Log.StoreMetaUnreadable(_log, e.Message);
            return null;
        }
    }
}
