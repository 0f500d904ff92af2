using Minuet.ControlPlane.Storage;

namespace Minuet.ControlPlane.Tests.Master;

/// <summary>
/// An in-memory store that holds the writes <see cref="Hold"/> names (e.g. <c>PutAgent</c>, <c>PutMeta:quotas</c>)
/// inside the store until <see cref="Release"/>: a test can look at the master while such a write has not committed.
/// </summary>
internal sealed class HoldingMasterStore : IMasterStore
{
    private readonly InMemoryMasterStore _inner = new();
    private readonly ManualResetEventSlim _release = new();

    /// <summary>Which writes to hold (null: none).</summary>
    public volatile Func<string, bool>? Hold;

    /// <summary>Set once a held write is inside the store.</summary>
    public ManualResetEventSlim Entered { get; } = new();

    public void Release() => _release.Set();

    public MasterStoreSnapshot Load() => _inner.Load();

    public void PutMeta(string key, string value) => Write("PutMeta:" + key, () => _inner.PutMeta(key, value));

    public void PutAgent(StoredAgent agent) => Write("PutAgent", () => _inner.PutAgent(agent));

    public void RemoveAgent(string agentId) => Write("RemoveAgent", () => _inner.RemoveAgent(agentId));

    public void PutFramework(StoredFramework framework) => Write("PutFramework", () => _inner.PutFramework(framework));

    public void RemoveFramework(string frameworkId) => Write("RemoveFramework", () => _inner.RemoveFramework(frameworkId));

    public void PutTask(StoredTask task) => Write("PutTask", () => _inner.PutTask(task));

    public void PutTasks(IReadOnlyList<StoredTask> tasks) => Write("PutTasks", () => _inner.PutTasks(tasks));

    public void RemoveTask(string taskId) => Write("RemoveTask", () => _inner.RemoveTask(taskId));

    public void PutReservation(string agentId, string role, Protocol.ResourceSet? resources) =>
        Write("PutReservation", () => _inner.PutReservation(agentId, role, resources));

    public void Dispose()
    {
        _release.Set();
        _inner.Dispose();
    }

    private void Write(string what, Action write)
    {
        if (Hold?.Invoke(what) == true)
        {
            Entered.Set();
            _release.Wait();
        }

        write();
    }
}
