using System.Collections.Concurrent;
using Minuet.ControlPlane.Scheduler.Deployments;

namespace Minuet.ControlPlane.Scheduler.Storage;

/// <summary>A store in memory (tests; a scheduler without <c>--state-dir</c>); shared across restarts within a process.</summary>
internal sealed class InMemorySchedulerStore : ISchedulerStore
{
    private readonly ConcurrentDictionary<string, string> _meta = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StoredApp> _apps = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string, DateTimeOffset), StoredAppVersion> _versions = new();
    private readonly ConcurrentDictionary<string, StoredTask> _tasks = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, DeploymentPlan> _deployments = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, StoredGroup> _groups = new(StringComparer.Ordinal);

    public SchedulerStoreSnapshot Load() => new()
    {
        Meta = new Dictionary<string, string>(_meta, StringComparer.Ordinal),
        Apps = [.. _apps.Values],
        AppVersions = [.. _versions.Values],
        Tasks = [.. _tasks.Values],
        Deployments = [.. _deployments.Values.Select(d => d with { })],
        Groups = [.. _groups.Values],
    };

    private SchedulerStoreSnapshot? _before;

    public void Begin() => _before ??= Load();

    public void Commit() => _before = null;

    public void Rollback()
    {
        if (_before is not { } before)
        {
            return;
        }

        _before = null;
        _meta.Clear();
        _apps.Clear();
        _versions.Clear();
        _tasks.Clear();
        _deployments.Clear();
        _groups.Clear();
        foreach (var (key, value) in before.Meta)
        {
            _meta[key] = value;
        }

        before.Apps.ForEach(PutApp);
        before.AppVersions.ForEach(PutAppVersion);
        before.Tasks.ForEach(PutTask);
        before.Deployments.ForEach(PutDeployment);
        before.Groups.ForEach(PutGroup);
    }

    public void PutMeta(string key, string value) => _meta[key] = value;

    public void PutApp(StoredApp app) => _apps[app.Id] = app;

    public void RemoveApp(string id) => _apps.TryRemove(id, out _);

    public void PutAppVersion(StoredAppVersion version) => _versions[(version.AppId, version.Version)] = version;

    public void RemoveAppVersion(string appId, DateTimeOffset version) => _versions.TryRemove((appId, version), out _);

    public void RemoveAppVersions(string appId)
    {
        foreach (var key in _versions.Keys.Where(k => k.Item1 == appId))
        {
            _versions.TryRemove(key, out _);
        }
    }

    public void PutTask(StoredTask task) => _tasks[task.Id] = task;

    public void RemoveTask(string id) => _tasks.TryRemove(id, out _);

    public void PutDeployment(DeploymentPlan plan) => _deployments[plan.Id] = plan with { };

    public void RemoveDeployment(string id) => _deployments.TryRemove(id, out _);

    public void PutGroup(StoredGroup group) => _groups[group.Id] = group;

    public void RemoveGroup(string id) => _groups.TryRemove(id, out _);

    public void Dispose()
    {
        // Nothing to release: the data lives as long as the object.
    }
}
