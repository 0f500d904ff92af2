using Minuet.ControlPlane.Allocation;

namespace Minuet.ControlPlane.Master.Parts;

/// <summary>
/// The master's agents by id (active, recovered from the store, unreachable), the agents an operator marked gone
/// (refused for good), the reservations operators made on them (re-applied when they register), and the counter
/// their ids come from.
/// </summary>
internal sealed class AgentRegistry(Action<string> changed) : EntryTable<AgentEntry>(changed), IAgentRegistry
{
    private static readonly Dictionary<string, Resources> EmptyReservations = new(StringComparer.Ordinal);
    private readonly HashSet<string> _gone = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Dictionary<string, Resources>> _reservations = new(StringComparer.Ordinal);

    /// <summary>The number in the next new agent's id (<c>&lt;masterId&gt;-S&lt;n&gt;</c>); stored as meta <c>next_agent</c>.</summary>
    public long NextId { get; set; }

    public IReadOnlySet<string> Gone => _gone;

    public void Put(AgentEntry agent) => Put(agent.Id, agent);

    public void MarkGone(string agentId) => _gone.Add(agentId);

    public bool IsGone(string agentId) => _gone.Contains(agentId);

    /// <summary>Dynamic reservations on an agent by role (empty when none).</summary>
    public IReadOnlyDictionary<string, Resources> ReservationsOn(string agentId) =>
        _reservations.TryGetValue(agentId, out var byRole) ? byRole : EmptyReservations;

    /// <summary>Sets what <paramref name="role"/> holds reserved on an agent; empty removes it.</summary>
    public void SetReservation(string agentId, string role, Resources reserved)
    {
        if (!_reservations.TryGetValue(agentId, out var byRole))
        {
            byRole = new Dictionary<string, Resources>(StringComparer.Ordinal);
            _reservations[agentId] = byRole;
        }

        if (reserved.IsEmpty)
        {
            byRole.Remove(role);
        }
        else
        {
            byRole[role] = reserved;
        }
    }

    public MasterError? RefuseGone(string? agentId) =>
        agentId is not null && IsGone(agentId)
            ? new MasterError(403, "agent_gone", $"agent '{agentId}' was marked gone by an operator and may not register again")
            : null;

    public AgentResources TotalOf(AgentEntry agent)
    {
        var dynamic = ReservationsOn(agent.Id);
        if (dynamic.Count == 0)
        {
            return agent.Declared;
        }

        var unreserved = agent.Declared.Unreserved;
        var reserved = new Dictionary<string, Resources>(agent.Declared.Reserved, StringComparer.Ordinal);
        foreach (var (role, r) in dynamic)
        {
            var fitted = r.CapScalars(unreserved).WithPorts(unreserved.Ports.Subtract(unreserved.Ports.Subtract(r.Ports)));
            unreserved -= fitted;
            reserved[role] = reserved.GetValueOrDefault(role) + fitted;
        }

        return new AgentResources(unreserved, reserved);
    }

    public override void Clear()
    {
        base.Clear();
        _gone.Clear();
        _reservations.Clear();
    }
}
