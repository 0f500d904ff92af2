namespace Minuet.ControlPlane.Storage;

/// <summary>
/// The master's durable state: what must survive a restart (agents, frameworks, tasks, dynamic reservations and a
/// few counters). Writes are synchronous and durable when they return, because the master acknowledges status
/// updates only after recording them. A replicated store can implement the same interface.
/// </summary>
internal interface IMasterStore : IDisposable
{
    MasterStoreSnapshot Load();

    void PutMeta(string key, string value);

    void PutAgent(StoredAgent agent);

    void RemoveAgent(string agentId);

    void PutFramework(StoredFramework framework);

    void RemoveFramework(string frameworkId);

    void PutTask(StoredTask task);

    /// <summary>Puts all of <paramref name="tasks"/> in one transaction: all are stored or none.</summary>
    void PutTasks(IReadOnlyList<StoredTask> tasks);

    void RemoveTask(string taskId);

    /// <summary>Sets the reservation of <paramref name="role"/> on an agent; null or empty removes it.</summary>
    void PutReservation(string agentId, string role, Protocol.ResourceSet? resources);
}
