using Minuet.ControlPlane.Scheduler.Apps;
using Minuet.ControlPlane.Scheduler.Deployments;
using Minuet.ControlPlane.Scheduler.Events;
using Minuet.ControlPlane.Scheduler.Storage;

namespace Minuet.ControlPlane.Scheduler;

/// <summary>Deploy: how every accepted change becomes new definitions, a stored deployment plan and events.</summary>
internal sealed partial class SchedulerCore
{
    /// <summary>
    /// The one way apps change: refuses a service port clash, a dependency cycle, or an affected app locked by a
    /// running deployment (unless <paramref name="force"/>, which cancels those), all before changing anything; then
    /// fixes versions and service ports, plans the steps, stores, announces, and asks the master for offers again.
    /// </summary>
    private ChangeResult Deploy(Dictionary<string, AppDefinition?> targets, bool force, HashSet<string>? restarted, IReadOnlyList<StoredGroup>? groups)
    {
        // A fixed service port may belong to one app only (Marathon refuses the clash with the port's path).
        var taken = UsedServicePortOwners(targets.Keys);
        var invalid = new Master.FieldErrorList();
        foreach (var target in targets.Values.Where(t => t is not null))
        {
            var ports = target!.Ports;
            for (int i = 0; i < ports.Count; i++)
            {
                if (ports[i].ServicePort != 0 && taken.TryGetValue(ports[i].ServicePort, out var owner))
                {
                    invalid.Add(target.UsesPortMappings ? $"/container/portMappings/{i}/servicePort" : $"/portDefinitions/{i}/port",
                        $"Requested service port {ports[i].ServicePort} conflicts with a service port in use by app {owner}");
                }
            }
        }

        AddDependencyCycles(targets, invalid);
        if (invalid.Any)
        {
            return ChangeResult.Invalid(invalid.ToList());
        }

        var conflicts = _deployments.Values.Where(d => d.AffectedApps.Any(targets.ContainsKey)).ToList();
        if (conflicts.Count > 0 && !force)
        {
            return new ChangeResult
            {
                Status = 409,
                Message = "App is locked by one or more deployments. Override with the option '?force=true'. View details at '/v2/deployments/<DEPLOYMENT_ID>'.",
                Conflicts = conflicts,
            };
        }

        foreach (var conflict in conflicts)
        {
            EndDeployment(conflict, success: false);
        }

        var version = NextVersion();
        var before = new Dictionary<string, AppDefinition?>(StringComparer.Ordinal);
        var original = new Dictionary<string, string?>(StringComparer.Ordinal);
        var after = new Dictionary<string, AppDefinition?>(StringComparer.Ordinal);
        var usedServicePorts = UsedServicePorts(targets.Keys);
        foreach (var (id, target) in targets)
        {
            var existing = Visible(id)?.Definition;
            before[id] = existing;
            original[id] = existing is null ? null : AppJsonWriter.ConfigJson(existing);
            if (target is null)
            {
                after[id] = null;
                continue;
            }

            var withPorts = ServicePorts.Assign(target, existing, usedServicePorts);
            bool sameConfig = existing is not null && existing.SameConfigAs(withPorts) && restarted?.Contains(id) != true;
            after[id] = withPorts with { Version = version, ConfigVersion = sameConfig ? existing!.ConfigVersion : version };
        }

        // Dependencies are ordered across every app, not just the changed ones.
        var all = _apps.Values.Where(a => !a.Deleted).ToDictionary(a => a.Definition.Id, a => (AppDefinition?)a.Definition, StringComparer.Ordinal);
        foreach (var (id, def) in after)
        {
            all[id] = def;
        }

        var plan = DeploymentPlanner.Plan(before, after, original, version, restarted);
        var levels = DeploymentPlanner.Levels(all.Where(a => a.Value is not null).ToDictionary(a => a.Key, a => a.Value!, StringComparer.Ordinal));
        plan = Reorder(plan, levels);

        foreach (var (id, def) in after)
        {
            ApplyDefinition(id, def);
        }

        foreach (var group in groups ?? [])
        {
            _groups[group.Id] = group;
            _store.PutGroup(group);
        }

        if (plan.Steps.Count > 0)
        {
            _deployments[plan.Id] = plan;
            _store.PutDeployment(plan);
            PublishDeploymentInfo(plan);
        }

        foreach (var def in after.Values.Where(d => d is not null))
        {
            Publish(MarathonEvent.Create("api_post_event", Now, w =>
            {
                w.WriteString("clientIp", "127.0.0.1");
                w.WriteString("uri", "/v2/apps" + def!.Id);
                w.WritePropertyName("appDefinition");
                w.WriteStartObject();
                AppJsonWriter.WriteFields(w, def);
                w.WriteEndObject();
            }));
        }

        Send(new MasterLink.ReviveCommand());
        Evaluate();
        return new ChangeResult { Status = 200, Deployment = plan };
    }

    /// <summary>
    /// A dependency cycle has no deployment order: refused, naming the apps around it (a group dependency stands for
    /// the group's apps). Checked against every app as it would be after the change: a cycle closed by a changed app
    /// usually runs through apps the change leaves alone.
    /// </summary>
    private void AddDependencyCycles(Dictionary<string, AppDefinition?> targets, Master.FieldErrorList invalid)
    {
        var proposed = _apps.Values.Where(a => !a.Deleted).ToDictionary(a => a.Definition.Id, a => a.Definition, StringComparer.Ordinal);
        foreach (var (id, target) in targets)
        {
            if (target is null)
            {
                proposed.Remove(id);
            }
            else
            {
                proposed[id] = target;
            }
        }

        foreach (var cycle in DependencyCycles.Through(proposed, targets.Where(t => t.Value is not null).Select(t => t.Key)))
        {
            invalid.Add("/dependencies", "dependency cycle: " + string.Join(" -> ", cycle));
        }
    }

    /// <summary>Steps follow dependency depth across all apps (the planner saw only the changed ones).</summary>
    private static DeploymentPlan Reorder(DeploymentPlan plan, Dictionary<string, int> levels)
    {
        var actions = plan.Steps.SelectMany(s => s).ToList();
        var steps = actions
            .GroupBy(a => a.Action == "StopApplication" ? -1 : levels.GetValueOrDefault(a.App))
            .OrderBy(g => g.Key)
            .Select(g => (IReadOnlyList<DeploymentAction>)g.ToList())
            .ToList();
        return plan with { Steps = steps };
    }

    private void ApplyDefinition(string id, AppDefinition? def)
    {
        if (def is null)
        {
            if (_apps.TryGetValue(id, out var gone))
            {
                gone.Deleted = true;
                gone.Definition = gone.Definition with { Instances = 0 };
                PersistApp(gone);
            }

            return;
        }

        if (!_apps.TryGetValue(id, out var state) || state.Deleted)
        {
            var fresh = new AppState(def);
            if (state is not null)
            {
                // A re-created app starts a new history, as in Marathon.
                _store.RemoveAppVersions(id);

                // Tasks of the deleted app still stopping stay visible to it until they end.
                foreach (var (taskId, task) in state.Tasks)
                {
                    fresh.Tasks[taskId] = task;
                    _taskIndex[taskId] = fresh;
                }
            }

            _apps[id] = fresh;
            PersistApp(fresh);
            return;
        }

        if (state.Definition.ConfigVersion != def.ConfigVersion)
        {
            // A new version resets the launch backoff (docs/docs/backoff.md).
            state.Failures = 0;
            state.NextLaunchAt = default;
        }

        state.Definition = def;
        PersistApp(state);
    }

    private Dictionary<int, string> UsedServicePortOwners(IEnumerable<string> except)
    {
        var skip = except.ToHashSet(StringComparer.Ordinal);
        var owners = new Dictionary<int, string>();
        foreach (var app in _apps.Values.Where(a => !a.Deleted && !skip.Contains(a.Definition.Id)))
        {
            foreach (var port in app.Definition.Ports.Where(p => p.ServicePort != 0))
            {
                owners.TryAdd(port.ServicePort, app.Definition.Id);
            }
        }

        return owners;
    }

    private HashSet<int> UsedServicePorts(IEnumerable<string> except)
    {
        var skip = except.ToHashSet(StringComparer.Ordinal);
        return _apps.Values.Where(a => !a.Deleted && !skip.Contains(a.Definition.Id))
            .SelectMany(a => a.Definition.Ports.Select(p => p.ServicePort))
            .Where(p => p != 0)
            .ToHashSet();
    }
}
