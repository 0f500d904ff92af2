using Microsoft.Data.Sqlite;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Storage;

namespace Minuet.ControlPlane.Tests.Storage;

/// <summary>An in-memory store whose writes fail as SQLite's do on a full disk while <see cref="Full"/> is set.</summary>
internal sealed class FaultyMasterStore : IMasterStore
{
    private readonly InMemoryMasterStore _inner = new();

    public bool Full { get; set; }

    public int FailedWrites { get; private set; }

    public MasterStoreSnapshot Load() => _inner.Load();

    public void PutMeta(string key, string value) => Guard(() => _inner.PutMeta(key, value));

    public void PutAgent(StoredAgent agent) => Guard(() => _inner.PutAgent(agent));

    public void RemoveAgent(string agentId) => Guard(() => _inner.RemoveAgent(agentId));

    public void PutFramework(StoredFramework framework) => Guard(() => _inner.PutFramework(framework));

    public void RemoveFramework(string frameworkId) => Guard(() => _inner.RemoveFramework(frameworkId));

    public void PutTask(StoredTask task) => Guard(() => _inner.PutTask(task));

    public void PutTasks(IReadOnlyList<StoredTask> tasks) => Guard(() => _inner.PutTasks(tasks));

    public void RemoveTask(string taskId) => Guard(() => _inner.RemoveTask(taskId));

    public void PutReservation(string agentId, string role, ResourceSet? resources) => Guard(() => _inner.PutReservation(agentId, role, resources));

    public void Dispose() => _inner.Dispose();

    private void Guard(Action write)
    {
        if (Full)
        {
            FailedWrites++;
            throw new SqliteException("SQLite Error 13: 'database or disk is full'.", 13);
        }

        write();
    }
}
