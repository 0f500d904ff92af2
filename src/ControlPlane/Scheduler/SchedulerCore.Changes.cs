using Minuet.ControlPlane.Scheduler.Apps;
using Minuet.ControlPlane.Scheduler.Deployments;
using Minuet.ControlPlane.Scheduler.Events;
using Minuet.ControlPlane.Scheduler.Storage;
using Minuet.ControlPlane.Scheduler.Validation;

namespace Minuet.ControlPlane.Scheduler;

/// <summary>Changes from the API: every one becomes a deployment (or a refusal) in one place, <see cref="Deploy"/>.</summary>
internal sealed partial class SchedulerCore
{
    /// <summary>POST /v2/apps: 409 when the id exists.</summary>
    public ChangeResult CreateApp(AppDefinition app, bool force = false)
    {
        lock (_gate)
        {
            return Guarded(() =>
            {
                if (_apps.TryGetValue(app.Id, out var existing) && !existing.Deleted)
                {
                    return new ChangeResult { Status = 409, Message = $"An app with id [{app.Id}] already exists." };
                }

                if (GroupConflict(app.Id) is { } conflict)
                {
                    return conflict;
                }

                return Deploy(new Dictionary<string, AppDefinition?> { [app.Id] = app }, force, null, null) with { Created = true };
            });
        }
    }

    /// <summary>PUT /v2/apps/{id} (whole definition; PATCH merges before calling this): creates or updates.</summary>
    public ChangeResult PutApps(IReadOnlyList<AppDefinition> apps, bool force = false)
    {
        lock (_gate)
        {
            return Guarded(() =>
            {
                bool created = apps.Any(a => !_apps.TryGetValue(a.Id, out var s) || s.Deleted);
                foreach (var app in apps)
                {
                    if (GroupConflict(app.Id) is { } conflict)
                    {
                        return conflict;
                    }
                }

                return Deploy(apps.ToDictionary(a => a.Id, a => (AppDefinition?)a, StringComparer.Ordinal), force, null, null) with { Created = created };
            });
        }
    }

    public ChangeResult DeleteApp(string id, bool force = false)
    {
        lock (_gate)
        {
            return Guarded(() =>
            {
                return Visible(id) is null
                    ? ChangeResult.NotFound($"App '{id}' does not exist")
                    : Deploy(new Dictionary<string, AppDefinition?> { [id] = null }, force, null, null);
            });
        }
    }

    /// <summary>POST /v2/apps/{id}/restart: a new config version, so every task is replaced by the upgrade strategy.</summary>
    public ChangeResult RestartApp(string id, bool force = false)
    {
        lock (_gate)
        {
            return Guarded(() =>
            {
                if (Visible(id) is not { } app)
                {
                    return ChangeResult.NotFound($"App '{id}' does not exist");
                }

                return Deploy(new Dictionary<string, AppDefinition?> { [id] = app.Definition }, force, new HashSet<string>(StringComparer.Ordinal) { id }, null);
            });
        }
    }

    /// <summary>
    /// POST/PUT /v2/groups: the apps given replace the group's content (PUT) or must be new (POST); group-level
    /// dependencies are kept for GET /v2/groups and already folded into each app's dependencies by the parser.
    /// </summary>
    public ChangeResult PutGroup(string groupId, IReadOnlyList<AppDefinition> apps, IReadOnlyList<StoredGroup> groups, bool create, bool force = false)
    {
        lock (_gate)
        {
            return Guarded(() =>
            {
                bool exists = _groups.ContainsKey(groupId) || _apps.Values.Any(a => !a.Deleted && PathIds.IsWithin(a.Definition.Id, groupId));
                if (create && exists && groupId != "/")
                {
                    return new ChangeResult { Status = 409, Message = $"Group {groupId} is already created. Use PUT to change this group." };
                }

                var targets = new Dictionary<string, AppDefinition?>(StringComparer.Ordinal);
                if (!create)
                {
                    foreach (var app in _apps.Values.Where(a => !a.Deleted && PathIds.IsWithin(a.Definition.Id, groupId)))
                    {
                        targets[app.Definition.Id] = null;
                    }
                }

                foreach (var app in apps)
                {
                    if (create && Visible(app.Id) is not null)
                    {
                        return new ChangeResult { Status = 409, Message = $"An app with id [{app.Id}] already exists." };
                    }

                    targets[app.Id] = app;
                }

                var result = Deploy(targets, force, null, groups);
                return result with { Created = create };
            });
        }
    }

    /// <summary>DELETE /v2/groups/{id}: every app inside stops and the group settings inside go, or nothing changes.</summary>
    public ChangeResult DeleteGroup(string groupId, bool force = false)
    {
        lock (_gate)
        {
            return Guarded(() =>
            {
                var targets = _apps.Values.Where(a => !a.Deleted && PathIds.IsWithin(a.Definition.Id, groupId)).ToDictionary(a => a.Definition.Id, _ => (AppDefinition?)null, StringComparer.Ordinal);
                var groups = _groups.Keys.Where(g => PathIds.IsWithin(g, groupId)).ToList();
                if (targets.Count == 0 && groups.Count == 0 && groupId != "/")
                {
                    return ChangeResult.NotFound($"Group '{groupId}' does not exist");
                }

                // Deploy refuses (409 when an app is locked by a deployment) before changing anything, so the group
                // settings go only once it has accepted: a refused delete leaves the groups as they were.
                var result = Deploy(targets, force, null, null);
                if (result.IsSuccess)
                {
                    foreach (var g in groups)
                    {
                        _groups.Remove(g);
                        _store.RemoveGroup(g);
                    }
                }

                return result;
            });
        }
    }

    /// <summary>DELETE /v2/deployments/{id}: a rollback deployment to the definitions before it, or with force just forget it.</summary>
    public ChangeResult CancelDeployment(string deploymentId, bool force)
    {
        lock (_gate)
        {
            return Guarded(() =>
            {
                if (!_deployments.TryGetValue(deploymentId, out var plan))
                {
                    return ChangeResult.NotFound($"DeploymentPlan {deploymentId} does not exist");
                }

                if (force)
                {
                    EndDeployment(plan, success: false);
                    return new ChangeResult { Status = 202 };
                }

                var targets = new Dictionary<string, AppDefinition?>(StringComparer.Ordinal);
                foreach (var (id, json) in plan.Original)
                {
                    targets[id] = json is null ? null : ParseStored(json, Now);
                }

                return Deploy(targets, force: true, null, null);
            });
        }
    }

    /// <summary>Kills tasks by id (POST /v2/tasks/delete, DELETE /v2/apps/{id}/tasks); with scale, the apps shrink by as many.</summary>
    public ChangeResult KillTasks(IReadOnlyList<string> taskIds, bool scale, bool force = false)
    {
        lock (_gate)
        {
            return Guarded(() =>
            {
                var perApp = new Dictionary<string, int>(StringComparer.Ordinal);
                var tasks = new List<Tasks.SchedulerTask>();
                foreach (var id in taskIds)
                {
                    if (_taskIndex.TryGetValue(id, out var app) && app.Tasks.TryGetValue(id, out var task) && task.IsLive)
                    {
                        tasks.Add(task);
                        perApp[app.Definition.Id] = perApp.GetValueOrDefault(app.Definition.Id) + 1;
                    }
                }

                // A scale is a deployment: refuse before killing anything if an app is locked.
                var locked = _deployments.Values.Where(d => d.AffectedApps.Any(perApp.ContainsKey)).ToList();
                if (scale && locked.Count > 0 && !force)
                {
                    return new ChangeResult
                    {
                        Status = 409,
                        Message = "App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/<DEPLOYMENT_ID>'.",
                        Conflicts = locked,
                    };
                }

                foreach (var task in tasks)
                {
                    RequestKill(task);
                }

                if (!scale || perApp.Count == 0)
                {
                    return new ChangeResult { Status = 200 };
                }

                var targets = perApp.ToDictionary(
                    p => p.Key,
                    p => (AppDefinition?)(_apps[p.Key].Definition with { Instances = Math.Max(0, _apps[p.Key].Definition.Instances - p.Value) }),
                    StringComparer.Ordinal);
                return Deploy(targets, force, null, null);
            });
        }
    }

    private AppState? Visible(string id) => _apps.TryGetValue(id, out var app) && !app.Deleted ? app : null;

    /// <summary>An app id may not be a group holding other apps, nor live inside a path that is an app.</summary>
    private ChangeResult? GroupConflict(string id)
    {
        foreach (var app in _apps.Values.Where(a => !a.Deleted))
        {
            if (app.Definition.Id != id && (PathIds.IsWithin(app.Definition.Id, id) || PathIds.IsWithin(id, app.Definition.Id)))
            {
                return ChangeResult.Invalid([new("/id", [$"'{id}' conflicts with app '{app.Definition.Id}': an id cannot be both an app and a group"])]);
            }
        }

        return null;
    }
}
