using Minuet.ControlPlane.Scheduler.Apps;

namespace Minuet.ControlPlane.Scheduler.Deployments;

/// <summary>
/// Dependency cycles among apps (a dependency naming a group means every app inside it). A change that closes one
/// is refused, as Marathon does: with a cycle there is no order to deploy in, and <see cref="DeploymentPlanner.Levels"/>
/// would cut it at whichever app its walk happened to start from.
/// </summary>
internal static class DependencyCycles
{
    /// <summary>
    /// Every cycle that passes through one of <paramref name="changed"/>, each once, as the ids around it starting and
    /// ending at its smallest id (<c>/a, /b, /a</c>). Only cycles through a changed app: a change can only close a cycle
    /// through an app it adds or alters, and a cycle stored before this check existed must not block unrelated changes.
    /// </summary>
    public static List<IReadOnlyList<string>> Through(IReadOnlyDictionary<string, AppDefinition> apps, IEnumerable<string> changed)
    {
        var edges = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var cycles = new List<IReadOnlyList<string>>();
        foreach (var start in changed.Where(apps.ContainsKey).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            if (ShortestBack(start, apps, edges) is { } cycle)
            {
                var canonical = Rotate(cycle);
                if (seen.Add(string.Join('\n', canonical)))
                {
                    cycles.Add(canonical);
                }
            }
        }

        return cycles;
    }

    /// <summary>The shortest path from <paramref name="start"/> along dependencies back to it (breadth first), or null.</summary>
    private static List<string>? ShortestBack(string start, IReadOnlyDictionary<string, AppDefinition> apps, Dictionary<string, List<string>> edges)
    {
        var cameFrom = new Dictionary<string, string>(StringComparer.Ordinal);
        var queue = new Queue<string>();
        queue.Enqueue(start);
        while (queue.Count > 0)
        {
            var id = queue.Dequeue();
            foreach (var dep in Edges(id, apps, edges))
            {
                if (dep == start)
                {
                    var path = new List<string> { start };
                    for (var at = id; at != start; at = cameFrom[at])
                    {
                        path.Add(at);
                    }

                    path.Add(start);
                    path.Reverse();
                    return path;
                }

                if (cameFrom.TryAdd(dep, id))
                {
                    queue.Enqueue(dep);
                }
            }
        }

        return null;
    }

    /// <summary>Computed only for the apps a search reaches: expanding group dependencies scans every app id.</summary>
    private static List<string> Edges(string id, IReadOnlyDictionary<string, AppDefinition> apps, Dictionary<string, List<string>> edges)
    {
        if (!edges.TryGetValue(id, out var list))
        {
            list = DeploymentPlanner.DependencyApps(apps[id], apps.Keys).Order(StringComparer.Ordinal).ToList();
            edges[id] = list;
        }

        return list;
    }

    /// <summary>The same cycle found from any of its apps reads the same: starting at its smallest id.</summary>
    private static List<string> Rotate(List<string> cycle)
    {
        var ring = cycle.Take(cycle.Count - 1).ToList();
        int first = ring.IndexOf(ring.Min(StringComparer.Ordinal)!);
        var rotated = ring.Skip(first).Concat(ring.Take(first)).ToList();
        rotated.Add(rotated[0]);
        return rotated;
    }
}
