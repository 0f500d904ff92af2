using Minuet.ControlPlane.Scheduler.Apps;

namespace Minuet.ControlPlane.Scheduler.Deployments;

/// <summary>
/// Plans a deployment from the apps before and after a change: which action each changed app needs, and steps
/// ordered so that an app starts only after the apps it depends on (directly, or through its group) are done.
/// </summary>
internal static class DeploymentPlanner
{
    public static DeploymentPlan Plan(
        IReadOnlyDictionary<string, AppDefinition?> before,
        IReadOnlyDictionary<string, AppDefinition?> after,
        IReadOnlyDictionary<string, string?> originalJson,
        DateTimeOffset version,
        ISet<string>? restarted = null)
    {
        var actions = new Dictionary<string, List<DeploymentAction>>(StringComparer.Ordinal);
        foreach (var id in before.Keys.Union(after.Keys).Order(StringComparer.Ordinal))
        {
            var old = before.GetValueOrDefault(id);
            var now = after.GetValueOrDefault(id);
            var list = new List<DeploymentAction>();
            if (old is null && now is not null)
            {
                list.Add(new DeploymentAction("StartApplication", id));
                if (now.Instances > 0)
                {
                    list.Add(new DeploymentAction("ScaleApplication", id));
                }
            }
            else if (old is not null && now is null)
            {
                list.Add(new DeploymentAction("StopApplication", id));
            }
            else if (old is not null && now is not null)
            {
                if (restarted?.Contains(id) == true || !old.SameConfigAs(now))
                {
                    list.Add(new DeploymentAction("RestartApplication", id));
                }
                else if (old.Instances != now.Instances)
                {
                    list.Add(new DeploymentAction("ScaleApplication", id));
                }
            }

            if (list.Count > 0)
            {
                actions[id] = list;
            }
        }

        var levels = Levels(after.Where(a => a.Value is not null).ToDictionary(a => a.Key, a => a.Value!, StringComparer.Ordinal));
        var steps = new SortedDictionary<int, List<DeploymentAction>>();
        foreach (var (id, list) in actions)
        {
            // Stops go first; everything else by dependency level.
            int level = list[0].Action == "StopApplication" ? -1 : levels.GetValueOrDefault(id);
            if (!steps.TryGetValue(level, out var step))
            {
                step = [];
                steps[level] = step;
            }

            step.AddRange(list);
        }

        return new DeploymentPlan
        {
            Id = Guid.NewGuid().ToString(),
            Version = version,
            AffectedApps = actions.Keys.Order(StringComparer.Ordinal).ToList(),
            Steps = steps.Values.Select(s => (IReadOnlyList<DeploymentAction>)s).ToList(),
            Original = originalJson.Where(o => actions.ContainsKey(o.Key)).ToDictionary(o => o.Key, o => o.Value, StringComparer.Ordinal),
        };
    }

    /// <summary>
    /// Dependency depth of every app: 0 without dependencies, else 1 + the deepest app it depends on. A dependency
    /// names an app or a group (meaning every app inside it). A change that closes a cycle is refused
    /// (<see cref="DependencyCycles"/>), so only a store from before that check can hold one: it is cut (each app
    /// is visited once per walk) rather than looping.
    /// </summary>
    public static Dictionary<string, int> Levels(IReadOnlyDictionary<string, AppDefinition> apps)
    {
        var levels = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var id in apps.Keys)
        {
            Level(id, apps, levels, new HashSet<string>(StringComparer.Ordinal));
        }

        return levels;
    }

    /// <summary>The apps <paramref name="app"/> depends on (dependencies naming groups expand to their apps).</summary>
    public static IEnumerable<string> DependencyApps(AppDefinition app, IEnumerable<string> allAppIds) =>
        app.Dependencies.SelectMany(d => allAppIds.Where(id => id != app.Id && Validation.PathIds.IsWithin(id, d))).Distinct(StringComparer.Ordinal);

    private static int Level(string id, IReadOnlyDictionary<string, AppDefinition> apps, Dictionary<string, int> levels, HashSet<string> visiting)
    {
        if (levels.TryGetValue(id, out int known))
        {
            return known;
        }

        if (!visiting.Add(id) || !apps.TryGetValue(id, out var app))
        {
            return 0;
        }

        int level = 0;
        foreach (var dep in DependencyApps(app, apps.Keys))
        {
            level = Math.Max(level, Level(dep, apps, levels, visiting) + 1);
        }

        levels[id] = level;
        return level;
    }
}
