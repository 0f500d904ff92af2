using Minuet.ControlPlane.Allocation;

namespace Minuet.ControlPlane.Master.Parts;

/// <summary>
/// The agents part of the master: every agent it knows (active, recovered, unreachable) by id, the agents an
/// operator marked gone, the dynamic reservations made on them, and the counter new agent ids come from. It answers
/// the questions that need only its own state (what an agent offers the allocator, whether it may register); the
/// tasks on an agent belong to <see cref="ITaskTable"/>. Guarded by the master lock.
/// </summary>
internal interface IAgentRegistry : IReadOnlyDictionary<string, AgentEntry>
{
    /// <summary>The number in the next new agent's id (<c>&lt;masterId&gt;-S&lt;n&gt;</c>); stored as meta <c>next_agent</c>.</summary>
    long NextId { get; set; }

    IReadOnlySet<string> Gone { get; }

    void Put(AgentEntry agent);

    void MarkGone(string agentId);

    bool IsGone(string agentId);

    /// <summary>The refusal a gone agent gets when it tries to register again (Mesos tells it to shut down); null otherwise.</summary>
    MasterError? RefuseGone(string? agentId);

    IReadOnlyDictionary<string, Resources> ReservationsOn(string agentId);

    void SetReservation(string agentId, string role, Resources reserved);

    /// <summary>An agent's total with the master's dynamic reservations carved out of its unreserved pool.</summary>
    AgentResources TotalOf(AgentEntry agent);

    /// <summary>Forgets everything (a term ended).</summary>
    void Clear();
}
