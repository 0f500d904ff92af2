namespace Minuet.ControlPlane.Master;

/// <summary>
/// Which task state changes the master accepts (Mesos docs/high-availability-framework-guide.md, task-state-reasons):
/// terminal states are final; LOST and UNREACHABLE can come back when the agent returns.
/// </summary>
public static class TaskTransitions
{
    /// <summary>Null when <paramref name="from"/> → <paramref name="to"/> is allowed, else the reason.</summary>
    public static string? Validate(TaskState from, TaskState to)
    {
        if (from.IsTerminal() && from != TaskState.Lost)
        {
            return $"{from.ToMesosName()} is terminal";
        }

        if (to == TaskState.Unknown)
        {
            return "TASK_UNKNOWN is only an answer to reconciliation";
        }

        if (to == TaskState.Staging && from != TaskState.Staging)
        {
            return "only a new task is TASK_STAGING";
        }

        if (from == TaskState.Lost)
        {
            // TASK_LOST is "not always terminal": a partitioned agent that comes back can report the task again.
            return to is TaskState.Staging ? "cannot restart a lost task" : null;
        }

        return (from, to) switch
        {
            (TaskState.Killing, TaskState.Starting or TaskState.Staging) => "a task being killed cannot start again",
            (TaskState.Running, TaskState.Starting) => "a running task cannot go back to TASK_STARTING",
            _ => null,
        };
    }

    public static bool IsAllowed(TaskState from, TaskState to) => Validate(from, to) is null;
}
