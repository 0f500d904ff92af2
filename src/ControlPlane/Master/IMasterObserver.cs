namespace Minuet.ControlPlane.Master;

/// <summary>
/// Sees every published change of the master, in order, under the master lock (so it must be quick and never call
/// back into the master): the operator API's SUBSCRIBE stream renders its events from these calls.
/// </summary>
internal interface IMasterObserver
{
    /// <summary><paramref name="added"/> is true the first time the task is published (its launch).</summary>
    void TaskChanged(MasterCore master, TaskEntry task, bool added);

    void AgentChanged(MasterCore master, AgentEntry agent);

    void AgentRemoved(MasterCore master, string agentId);

    void FrameworkChanged(MasterCore master, FrameworkEntry framework);

    void FrameworkRemoved(MasterCore master, string frameworkId);
}
