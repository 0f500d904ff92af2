namespace Minuet.ControlPlane.Master;

/// <summary>Mesos task states, named as Mesos names them in <c>/master/state</c> (TASK_RUNNING ...).</summary>
public enum TaskState
{
    Staging,
    Starting,
    Running,
    Killing,
    Finished,
    Failed,
    Killed,
    Error,
    Dropped,
    Gone,
    GoneByOperator,
    Lost,
    Unreachable,
    Unknown,
}
