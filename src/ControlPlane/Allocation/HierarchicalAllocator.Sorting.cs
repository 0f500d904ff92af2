namespace Minuet.ControlPlane.Allocation;

/// <summary>
/// DRF sorting (Mesos sorter/drf): share = max over scalars of allocation ÷ cluster total, divided by weight;
/// ties by allocation count, then name. Roles nest as <c>a/b</c>: siblings are compared by their subtree's share,
/// and a role that also has children competes with them as the virtual leaf <c>a/.</c>.
/// </summary>
public sealed partial class HierarchicalAllocator
{
    /// <summary>The role's DRF share (allocation only, weight applied), as the sorter sees it.</summary>
    public double ShareOf(string role) => _roles.TryGetValue(role, out var r) ? DominantShare(r.Allocated) / r.Weight : 0;

    /// <summary>Roles that want offers, in the order the allocator visits them.</summary>
    public IReadOnlyList<string> RoleOrder() => SortRoles(quotaOnly: false, ReservedTotalsByRole()).Select(r => r.Name).ToList();

    private double DominantShare(Resources allocated)
    {
        var total = ClusterTotal;
        double share = 0;
        if (total.Cpus > 0)
        {
            share = Math.Max(share, allocated.Cpus / total.Cpus);
        }

        if (total.Mem > 0)
        {
            share = Math.Max(share, allocated.Mem / total.Mem);
        }

        if (total.Disk > 0)
        {
            share = Math.Max(share, allocated.Disk / total.Disk);
        }

        return share;
    }

    private List<RoleSlot> SortRoles(bool quotaOnly, Dictionary<string, Resources> reservedByRole)
    {
        var candidates = new List<RoleSlot>();
        foreach (var role in _roles.Values)
        {
            if (!role.Frameworks.Exists(f => f.WantsOffers))
            {
                continue;
            }

            if (quotaOnly && (role.Quota is null || !Unmet(role, reservedByRole).HasScalars))
            {
                continue;
            }

            candidates.Add(role);
        }

        if (candidates.Count <= 1)
        {
            return candidates;
        }

        // Subtree aggregates for every ancestor path, so nested roles compare the way Mesos's tree walk does.
        var nodes = new Dictionary<string, (Resources Allocated, long Count)>(StringComparer.Ordinal);
        foreach (var role in _roles.Values)
        {
            foreach (var path in NodePaths(role.Name, HasChildren(role.Name)))
            {
                var (allocated, count) = nodes.GetValueOrDefault(path);
                nodes[path] = (allocated + role.Allocated, count + role.AllocationCount);
            }
        }

        candidates.Sort((a, b) => CompareRoles(a, b, nodes));
        return candidates;
    }

    private int CompareRoles(RoleSlot a, RoleSlot b, Dictionary<string, (Resources Allocated, long Count)> nodes)
    {
        var pathA = NodePaths(a.Name, HasChildren(a.Name));
        var pathB = NodePaths(b.Name, HasChildren(b.Name));
        int depth = Math.Min(pathA.Count, pathB.Count);
        for (int level = 0; level < depth; level++)
        {
            if (pathA[level] == pathB[level])
            {
                continue;
            }

            var (allocA, countA) = nodes.GetValueOrDefault(pathA[level]);
            var (allocB, countB) = nodes.GetValueOrDefault(pathB[level]);
            double shareA = DominantShare(allocA) / NodeWeight(pathA[level]);
            double shareB = DominantShare(allocB) / NodeWeight(pathB[level]);
            int c = CompareShares(shareA, shareB);
            if (c != 0)
            {
                return c;
            }

            c = countA.CompareTo(countB);
            return c != 0 ? c : string.CompareOrdinal(pathA[level], pathB[level]);
        }

        return string.CompareOrdinal(a.Name, b.Name);
    }

    private List<FrameworkSlot> SortFrameworks(RoleSlot role)
    {
        var list = role.Frameworks.Where(f => f.WantsOffers).ToList();
        list.Sort((a, b) =>
        {
            int c = CompareShares(DominantShare(a.Allocated), DominantShare(b.Allocated));
            if (c != 0)
            {
                return c;
            }

            c = a.AllocationCount.CompareTo(b.AllocationCount);
            return c != 0 ? c : string.CompareOrdinal(a.Id, b.Id);
        });
        return list;
    }

    /// <summary>Shares equal to within float noise tie, so the count tie-break decides (as Mesos's fixed point does).</summary>
    private static int CompareShares(double a, double b) => Math.Abs(a - b) < 1e-9 ? 0 : a.CompareTo(b);

    private double NodeWeight(string path)
    {
        var name = path.EndsWith("/.", StringComparison.Ordinal) ? path[..^2] : path;
        return _roles.TryGetValue(name, out var role) ? role.Weight : 1;
    }

    private bool HasChildren(string role)
    {
        if (role == Roles.Default)
        {
            return false;
        }

        var prefix = role + "/";
        foreach (var name in _roles.Keys)
        {
            if (name.StartsWith(prefix, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary><c>a/b</c> → [<c>a</c>, <c>a/b</c>]; with children also <c>a/b/.</c> (the role's own leaf).</summary>
    private static List<string> NodePaths(string role, bool hasChildren)
    {
        var paths = new List<string>(4);
        if (role == Roles.Default)
        {
            paths.Add(role);
            return paths;
        }

        int start = 0;
        while (true)
        {
            int slash = role.IndexOf('/', start);
            if (slash < 0)
            {
                paths.Add(role);
                break;
            }

            paths.Add(role[..slash]);
            start = slash + 1;
        }

        if (hasChildren)
        {
            paths.Add(role + "/.");
        }

        return paths;
    }
}
