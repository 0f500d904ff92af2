using Minuet.ControlPlane.Scheduler.Deployments;

namespace Minuet.ControlPlane.Scheduler.Storage;

/// <summary>Where apps, tasks, deployments and the framework id survive a scheduler restart.</summary>
internal interface ISchedulerStore : IDisposable
{
    SchedulerStoreSnapshot Load();

    void PutMeta(string key, string value);

    void PutApp(StoredApp app);

    void RemoveApp(string id);

    void PutTask(StoredTask task);

    void RemoveTask(string id);

    void PutDeployment(DeploymentPlan plan);

    void RemoveDeployment(string id);

    void PutGroup(StoredGroup group);

    void RemoveGroup(string id);
}
