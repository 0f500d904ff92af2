using System.Text.Json;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler.Apps;
using Minuet.ControlPlane.Scheduler.Health;
using Minuet.ControlPlane.Scheduler.Storage;
using Minuet.ControlPlane.Scheduler.Tasks;
using Minuet.ControlPlane.Scheduler.Validation;

namespace Minuet.ControlPlane.Scheduler;

/// <summary>Writing apps and tasks to the store, and rebuilding everything from it at start.</summary>
internal sealed partial class SchedulerCore
{
    /// <summary>Parses a stored (or rolled-back) definition; stored JSON was written by us, so it is valid.</summary>
    internal static AppDefinition? ParseStored(string json, DateTimeOffset version)
    {
        using var doc = JsonDocument.Parse(json);
        var errors = new FieldErrorList();
        var app = AppParser.Parse(doc.RootElement, string.Empty, "/", errors);
        return app is null ? null : app with { Version = version, ConfigVersion = version };
    }

    private void PersistApp(AppState app)
    {
        var def = app.Definition;
        var json = AppJsonWriter.ConfigJson(def);
        _store.PutApp(new StoredApp(def.Id, json, def.Version, def.ConfigVersion, app.Deleted));
        if (app.Deleted || app.Versions.ContainsKey(def.Version))
        {
            return;
        }

        var entry = new StoredAppVersion(def.Id, def.Version, def.ConfigVersion, json);
        app.Versions[def.Version] = entry;
        _store.PutAppVersion(entry);
        while (app.Versions.Count > _options.MaxVersions)
        {
            var oldest = app.Versions.Keys.First();
            app.Versions.Remove(oldest);
            _store.RemoveAppVersion(def.Id, oldest);
        }
    }

    /// <summary>The definition in force at <paramref name="configVersion"/> (the current one when history lacks it).</summary>
    private static AppDefinition DefinitionAt(AppState app, DateTimeOffset configVersion)
    {
        if (app.Definition.ConfigVersion == configVersion)
        {
            return app.Definition;
        }

        var entry = app.Versions.Values.LastOrDefault(v => v.ConfigVersion == configVersion);
        return entry is not null && ParseStored(entry.Json, entry.Version) is { } def ? def with { ConfigVersion = entry.ConfigVersion } : app.Definition;
    }

    private void PersistTask(SchedulerTask t) => _store.PutTask(new StoredTask
    {
        Id = t.Id,
        AppId = t.AppId,
        AgentId = t.AgentId,
        Host = t.Host,
        Attributes = t.Attributes,
        Ports = t.Ports,
        ServicePorts = t.ServicePorts,
        IpAddresses = t.IpAddresses,
        Version = t.Version,
        State = t.State,
        StagedAt = t.StagedAt,
        StartedAt = t.StartedAt,
        Healthy = t.AgentCheck?.Alive,
        HasHealthChecks = t.HasHealthChecks,
        Ready = t.Readiness.Count > 0 && t.IsReady,
        KillRequested = t.KillRequested,
    });

    private void Recover(SchedulerStoreSnapshot snapshot)
    {
        FrameworkId = snapshot.Meta.GetValueOrDefault(MetaFrameworkId);
        foreach (var stored in snapshot.Apps)
        {
            if (ParseStored(stored.Json, stored.Version) is not { } def)
            {
                continue;
            }

            _apps[def.Id] = new AppState(def with { ConfigVersion = stored.ConfigVersion }) { Deleted = stored.Deleted };
            _lastVersion = stored.Version > _lastVersion ? stored.Version : _lastVersion;
        }

        foreach (var version in snapshot.AppVersions)
        {
            if (_apps.TryGetValue(version.AppId, out var owner))
            {
                owner.Versions[version.Version] = version;
            }
        }

        // A store written before version history existed: its current definitions start the history.
        foreach (var app in _apps.Values.Where(a => !a.Deleted && a.Versions.Count == 0))
        {
            PersistApp(app);
        }

        foreach (var t in snapshot.Tasks)
        {
            if (!_apps.TryGetValue(t.AppId, out var app))
            {
                _store.RemoveTask(t.Id);
                continue;
            }

            // The checks are those of the definition the task was launched with (from the version history).
            var launched = DefinitionAt(app, t.Version);
            IReadOnlyList<int?> hostPorts = t.Ports.Select(p => (int?)p).ToList();
            var task = new SchedulerTask
            {
                Id = t.Id,
                AppId = t.AppId,
                AgentId = t.AgentId,
                Host = t.Host,
                Attributes = t.Attributes,
                Ports = t.Ports,
                ServicePorts = t.ServicePorts,
                IpAddresses = t.IpAddresses,
                Version = t.Version,
                State = t.State,
                StagedAt = t.StagedAt,
                StartedAt = t.StartedAt,
                Checks = TaskChecks.HealthFor(launched, hostPorts),
                Readiness = TaskChecks.ReadinessFor(launched, hostPorts),
                KillRequested = t.KillRequested,
            };
            task.AgentCheck?.Restore(t.Healthy);
            task.Readiness.ForEach(r => r.Ready = t.Ready);
            app.Tasks[t.Id] = task;
            _taskIndex[t.Id] = app;
        }

        foreach (var plan in snapshot.Deployments)
        {
            _deployments[plan.Id] = plan;
        }

        foreach (var group in snapshot.Groups)
        {
            _groups[group.Id] = group;
        }

        Log.Recovered(_log, _apps.Count, _taskIndex.Count, _deployments.Count, FrameworkId ?? "(none)");
    }
}
