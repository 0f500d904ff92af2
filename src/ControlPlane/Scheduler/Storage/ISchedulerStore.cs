using Minuet.ControlPlane.Scheduler.Deployments;

namespace Minuet.ControlPlane.Scheduler.Storage;

/// <summary>Where apps, tasks, deployments and the framework id survive a scheduler restart.</summary>
internal interface ISchedulerStore : IDisposable
{
    SchedulerStoreSnapshot Load();

    /// <summary>Starts a batch: the writes until <see cref="Commit"/> land together, or none after <see cref="Rollback"/>.</summary>
    void Begin();

    void Commit();

    void Rollback();

    void PutMeta(string key, string value);

    void PutApp(StoredApp app);

    void RemoveApp(string id);

    void PutAppVersion(StoredAppVersion version);

    void RemoveAppVersion(string appId, DateTimeOffset version);

    /// <summary>Forgets an app's whole history (the app was deleted).</summary>
    void RemoveAppVersions(string appId);

    void PutTask(StoredTask task);

    void RemoveTask(string id);

    void PutDeployment(DeploymentPlan plan);

    void RemoveDeployment(string id);

    void PutGroup(StoredGroup group);

    void RemoveGroup(string id);
}
