using Minuet.ControlPlane.Allocation;

namespace Minuet.ControlPlane.Master.Parts;

/// <summary>
/// The master's tasks by id (live, unreachable, and terminal ones not yet acknowledged), plus the ids of accepted
/// tasks still being written to the store: those are taken, so no other accept may reuse them meanwhile.
/// </summary>
internal sealed class TaskTable(Action<string> changed) : EntryTable<TaskEntry>(changed), ITaskTable
{
    private readonly HashSet<string> _launching = new(StringComparer.Ordinal);

    public void Put(TaskEntry task) => Put(task.Id, task);

    /// <summary>True when the id names a task, or one an accept is storing right now.</summary>
    public bool IsTaken(string taskId) => ContainsKey(taskId) || _launching.Contains(taskId);

    public void HoldLaunching(string taskId) => _launching.Add(taskId);

    public void ReleaseLaunching(string taskId) => _launching.Remove(taskId);

    public IEnumerable<TaskEntry> LiveOn(AgentEntry agent)
    {
        foreach (var taskId in agent.TaskIds)
        {
            if (TryGetValue(taskId, out var task) && !task.State.IsTerminal())
            {
                yield return task;
            }
        }
    }

    public Resources UsedOn(AgentEntry agent)
    {
        var used = Resources.Empty;
        foreach (var task in LiveOn(agent))
        {
            used += task.Slice.Total;
        }

        return used;
    }

    public override void Clear()
    {
        base.Clear();
        _launching.Clear();
    }
}
