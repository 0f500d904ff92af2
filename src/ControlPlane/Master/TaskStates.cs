namespace Minuet.ControlPlane.Master;

/// <summary>Facts about task states that Mesos defines: which are terminal and what they are called on the wire.</summary>
public static class TaskStates
{
    /// <summary>Terminal states are final: no later update may move a task out of them (Mesos `protobuf_utils::isTerminalState`).</summary>
    public static bool IsTerminal(this TaskState state) => state is
        TaskState.Finished or TaskState.Failed or TaskState.Killed or TaskState.Error or
        TaskState.Dropped or TaskState.Gone or TaskState.GoneByOperator or TaskState.Lost;

    /// <summary>The Mesos wire name, e.g. <c>TASK_RUNNING</c>.</summary>
    public static string ToMesosName(this TaskState state) => state switch
    {
        TaskState.Staging => "TASK_STAGING",
        TaskState.Starting => "TASK_STARTING",
        TaskState.Running => "TASK_RUNNING",
        TaskState.Killing => "TASK_KILLING",
        TaskState.Finished => "TASK_FINISHED",
        TaskState.Failed => "TASK_FAILED",
        TaskState.Killed => "TASK_KILLED",
        TaskState.Error => "TASK_ERROR",
        TaskState.Dropped => "TASK_DROPPED",
        TaskState.Gone => "TASK_GONE",
        TaskState.GoneByOperator => "TASK_GONE_BY_OPERATOR",
        TaskState.Lost => "TASK_LOST",
        TaskState.Unreachable => "TASK_UNREACHABLE",
        _ => "TASK_UNKNOWN",
    };

    /// <summary>Parses a Mesos wire name; false for anything else.</summary>
    public static bool TryParseMesosName(string? name, out TaskState state)
    {
        foreach (var candidate in Enum.GetValues<TaskState>())
        {
            if (string.Equals(candidate.ToMesosName(), name, StringComparison.Ordinal))
            {
                state = candidate;
                return true;
            }
        }

        state = TaskState.Unknown;
        return false;
    }
}
