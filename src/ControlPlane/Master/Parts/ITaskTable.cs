using Minuet.ControlPlane.Allocation;

namespace Minuet.ControlPlane.Master.Parts;

/// <summary>
/// The tasks part of the master: every task by id (live, unreachable, and terminal ones not yet acknowledged) and
/// the ids held by accepts whose tasks are being stored. It answers what the tasks on an agent hold. Guarded by the
/// master lock.
/// </summary>
internal interface ITaskTable : IReadOnlyDictionary<string, TaskEntry>
{
    void Put(TaskEntry task);

    bool Remove(string taskId);

    /// <summary>True when the id names a task, or one an accept is storing right now.</summary>
    bool IsTaken(string taskId);

    void HoldLaunching(string taskId);

    void ReleaseLaunching(string taskId);

    /// <summary>The non-terminal tasks among <paramref name="agent"/>'s (live and unreachable).</summary>
    IEnumerable<TaskEntry> LiveOn(AgentEntry agent);

    /// <summary>What the non-terminal tasks on the agent hold.</summary>
    Resources UsedOn(AgentEntry agent);

    /// <summary>Forgets everything (a term ended).</summary>
    void Clear();
}
