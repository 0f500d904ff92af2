using Microsoft.Data.Sqlite;
using Minuet.ControlPlane.Scheduler.Deployments;

namespace Minuet.ControlPlane.Scheduler.Storage;

/// <summary>
/// Watches every write of the scheduler's store. Inside an API change (<see cref="Begin"/> … <see cref="Commit"/>) a
/// failed write throws <see cref="StoreWriteException"/>, so the core can undo the change and refuse it. Outside one
/// (status updates, offers, the control loop) the failure is recorded and the store marked behind memory; the core
/// writes its whole state again (<see cref="SchedulerCore"/>'s resync) once a write succeeds, and then the fault clears.
/// </summary>
internal sealed class GuardedSchedulerStore(ISchedulerStore inner, TimeProvider time) : ISchedulerStore
{
    private bool _inChange;

    /// <summary>Set from the first failed write until a resync succeeds.</summary>
    public StoreFault? Fault { get; private set; }

    /// <summary>Failed writes since start (for <c>/metrics</c>).</summary>
    public long FailedWrites { get; private set; }

    public ISchedulerStore Inner => inner;

    /// <summary>Whether an error means the store could not write (disk full, read-only, I/O), as opposed to a bug.</summary>
    public static bool IsWriteFailure(Exception e) => e is SqliteException or IOException or UnauthorizedAccessException;

    public SchedulerStoreSnapshot Load() => inner.Load();

    public void Begin()
    {
        _inChange = true;
        Run(inner.Begin);
    }

    public void Commit()
    {
        try
        {
            Run(inner.Commit);
        }
        finally
        {
            _inChange = false;
        }
    }

    public void Rollback()
    {
        _inChange = false;
        try
        {
            inner.Rollback();
        }
        catch (Exception e) when (IsWriteFailure(e))
        {
            // Nothing of the batch was committed; the fault is already recorded.
        }
    }

    /// <summary>A full rewrite worked: the store holds what memory holds again.</summary>
    public void Recovered() => Fault = null;

    public void PutMeta(string key, string value) => Run(() => inner.PutMeta(key, value));

    public void PutApp(StoredApp app) => Run(() => inner.PutApp(app));

    public void RemoveApp(string id) => Run(() => inner.RemoveApp(id));

    public void PutAppVersion(StoredAppVersion version) => Run(() => inner.PutAppVersion(version));

    public void RemoveAppVersion(string appId, DateTimeOffset version) => Run(() => inner.RemoveAppVersion(appId, version));

    public void RemoveAppVersions(string appId) => Run(() => inner.RemoveAppVersions(appId));

    public void PutTask(StoredTask task) => Run(() => inner.PutTask(task));

    public void RemoveTask(string id) => Run(() => inner.RemoveTask(id));

    public void PutDeployment(DeploymentPlan plan) => Run(() => inner.PutDeployment(plan));

    public void RemoveDeployment(string id) => Run(() => inner.RemoveDeployment(id));

    public void PutGroup(StoredGroup group) => Run(() => inner.PutGroup(group));

    public void RemoveGroup(string id) => Run(() => inner.RemoveGroup(id));

    public void Dispose() => inner.Dispose();

    private void Run(Action write)
    {
        try
        {
            write();
        }
        catch (Exception e) when (IsWriteFailure(e))
        {
            FailedWrites++;
            Fault ??= new StoreFault(e.Message, time.GetUtcNow());
            if (_inChange)
            {
                throw new StoreWriteException(e.Message, e);
            }
        }
    }
}
