using System.Globalization;

namespace Minuet.Platform.EdgeLb.Config;

/// <summary>
/// marathon-lb's blue/green merge: apps sharing <c>HAPROXY_DEPLOYMENT_GROUP</c> become one app named after the group, the
/// older copy's definition with both copies' tasks, and as many old tasks marked draining (in task-id order) as the
/// healthy new tasks allow: <c>min(old tasks, healthy new, max(0, healthy new + old instances - target))</c>.
/// </summary>
internal static class DeploymentGroups
{
    public static List<MarathonApp> Merge(IReadOnlyList<MarathonApp> apps, List<Rejection> rejections)
    {
        var result = new List<MarathonApp>();
        var groups = new Dictionary<string, MarathonApp>(StringComparer.Ordinal);
        var order = new List<string>();
        foreach (var app in apps)
        {
            if (!app.Labels.TryGetValue("HAPROXY_DEPLOYMENT_GROUP", out string? group) || group.Length == 0)
            {
                result.Add(app);
                continue;
            }

            string id = group[0] == '/' ? group : "/" + group;
            var current = app with { Id = id };
            if (!groups.TryGetValue(id, out var previous))
            {
                groups[id] = current;
                order.Add(id);
                continue;
            }

            groups[id] = MergePair(previous, current, rejections);
        }

        result.AddRange(order.Select(id => groups[id]));
        return result;
    }

    private static MarathonApp MergePair(MarathonApp previous, MarathonApp current, List<Rejection> rejections)
    {
        var (old, @new) = StartedAt(previous) < StartedAt(current) ? (previous, current) : (current, previous);
        int target = 1;
        if (@new.Labels.ContainsKey("HAPROXY_DEPLOYMENT_NEW_INSTANCES"))
        {
            if (old.LastScalingAt > @new.LastScalingAt)
            {
                (old, @new) = (@new, old);
            }

            if (!int.TryParse(@new.Labels.GetValueOrDefault("HAPROXY_DEPLOYMENT_TARGET_INSTANCES"), NumberStyles.None, CultureInfo.InvariantCulture, out target))
            {
                rejections.Add(new Rejection(@new.Id, "HAPROXY_DEPLOYMENT_TARGET_INSTANCES", "missing or not a whole number; target taken as 1"));
                target = 1;
            }
        }

        // marathon-lb counts health on the app that arrived second, whichever copy it is.
        int healthyNew = current.HealthChecks.Count > 0
            ? @new.Tasks.Count(t => t.HealthAlive is { } alive && alive.Contains(true))
            : @new.Instances;
        int drainable = Math.Max(0, healthyNew + old.Instances - target);
        var oldTasks = old.Tasks.OrderBy(t => t.Id, StringComparer.Ordinal).ToList();
        int drain = Math.Min(oldTasks.Count, Math.Min(healthyNew, drainable));
        var tasks = new List<MarathonTask>(oldTasks.Count + @new.Tasks.Count);
        for (int i = 0; i < oldTasks.Count; i++)
        {
            tasks.Add(i < drain ? oldTasks[i] with { Draining = true } : oldTasks[i]);
        }

        tasks.AddRange(@new.Tasks);
        return old with { Tasks = tasks };
    }

    private static DateTime StartedAt(MarathonApp app) =>
        app.Labels.TryGetValue("HAPROXY_DEPLOYMENT_STARTED_AT", out string? s)
        && DateTime.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var at)
            ? at
            : DateTime.MinValue;
}
