namespace Minuet.DataPlane.Model;

/// <summary>One task's new version in a framework, or its removal (<see cref="Task"/> null).</summary>
public sealed record TaskChange(string FrameworkId, string TaskId, TaskInfo? Task);

/// <summary>
/// What changed since the previous state a source handed over: task changes only, or "rebuild" when agents,
/// frameworks or the leader changed (or when the source resynced), which every consumer answers with a full build.
/// </summary>
public sealed record StateDelta(bool Rebuild, IReadOnlyList<TaskChange> Tasks)
{
    public static StateDelta Full { get; } = new(true, []);
}
