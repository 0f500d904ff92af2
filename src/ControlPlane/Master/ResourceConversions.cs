using Minuet.ControlPlane.Allocation;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Master;

/// <summary>Between the wire's <see cref="ResourceSet"/> (structured port ranges) and the allocator's <see cref="Resources"/>.</summary>
internal static class ResourceConversions
{
    public static Resources ToResources(this ResourceSet? set)
    {
        if (set is null)
        {
            return Resources.Empty;
        }

        var intervals = new PortInterval[set.Ports.Count];
        for (int i = 0; i < intervals.Length; i++)
        {
            intervals[i] = new PortInterval((uint)Math.Max(0, set.Ports[i].Begin), (uint)Math.Max(0, set.Ports[i].End));
        }

        return new Resources(set.Cpus, set.Mem, set.Disk, PortSet.Of(intervals));
    }

    public static ResourceSet ToResourceSet(this Resources r) => new()
    {
        Cpus = r.Cpus,
        Mem = r.Mem,
        Disk = r.Disk,
        Ports = r.Ports.Intervals.Select(i => new PortRange((int)i.Begin, (int)i.End)).ToList(),
    };

    public static AgentResources ToAgentResources(ResourceSet unreserved, IReadOnlyDictionary<string, ResourceSet>? reserved)
    {
        var byRole = new Dictionary<string, Resources>(StringComparer.Ordinal);
        foreach (var (role, set) in reserved ?? new Dictionary<string, ResourceSet>())
        {
            byRole[role] = set.ToResources();
        }

        return new AgentResources(unreserved.ToResources(), byRole);
    }
}
