using System.Text.Json;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler.Apps;
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

    private void PersistApp(AppState app) =>
        _store.PutApp(new StoredApp(app.Definition.Id, AppJsonWriter.ConfigJson(app.Definition), app.Definition.Version, app.Definition.ConfigVersion, app.Deleted));

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
        Healthy = t.Healthy,
        HasHealthChecks = t.HasHealthChecks,
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

        foreach (var t in snapshot.Tasks)
        {
            if (!_apps.TryGetValue(t.AppId, out var app))
            {
                _store.RemoveTask(t.Id);
                continue;
            }

            app.Tasks[t.Id] = new SchedulerTask
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
                Healthy = t.Healthy,
                HasHealthChecks = t.HasHealthChecks,
                KillRequested = t.KillRequested,
            };
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
