namespace Minuet.ControlPlane.Master.Parts;

/// <summary>
/// The master's agents by id (active, recovered from the store, unreachable), the agents an operator marked gone
/// (refused for good), and the counter their ids come from.
/// </summary>
internal sealed class AgentRegistry(Action<string> changed) : EntryTable<AgentEntry>(changed)
{
    private readonly HashSet<string> _gone = new(StringComparer.Ordinal);

    /// <summary>The number in the next new agent's id (<c>&lt;masterId&gt;-S&lt;n&gt;</c>); stored as meta <c>next_agent</c>.</summary>
    public long NextId { get; set; }

    public IReadOnlySet<string> Gone => _gone;

    public void Put(AgentEntry agent) => Put(agent.Id, agent);

    public void MarkGone(string agentId) => _gone.Add(agentId);

    public bool IsGone(string agentId) => _gone.Contains(agentId);

    public override void Clear()
    {
        base.Clear();
        _gone.Clear();
    }
}
