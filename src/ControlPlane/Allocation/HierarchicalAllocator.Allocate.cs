namespace Minuet.ControlPlane.Allocation;

/// <summary>The allocation cycle (Mesos <c>__generateOffers</c>): stage 1 quota guarantees, stage 2 fair share.</summary>
public sealed partial class HierarchicalAllocator
{
    /// <summary>
    /// Runs one allocation cycle at <paramref name="now"/> and returns the offers made, at most one per
    /// (agent, framework). Everything offered is allocated to the framework until it is recovered.
    /// </summary>
    public IReadOnlyList<AllocatorOffer> Allocate(DateTimeOffset now)
    {
        var made = new Dictionary<(string Agent, string Framework), AllocatorOffer>();
        if (_agents.Count == 0 || _frameworks.Count == 0)
        {
            return [];
        }

        ExpireFilters(now);

        // Agents in a stable order: Mesos shuffles, but a pure allocator must give the same answer for the same input.
        var agents = _agents.Values.OrderBy(a => a.Id, StringComparer.Ordinal).ToList();
        var reservedByRole = ReservedTotalsByRole();

        // Stage 1: roles below their quota guarantee get reservations and unreserved resources up to the guarantee.
        foreach (var agent in agents)
        {
            foreach (var role in SortRoles(quotaOnly: true, reservedByRole))
            {
                var unmet = Unmet(role, reservedByRole);
                if (!unmet.HasScalars)
                {
                    continue;
                }

                var unreserved = agent.FreeUnreserved.CapScalars(unmet).CapScalars(LimitHeadroom(role, reservedByRole));
                TryOfferToRole(agent, role, unreserved, now, made);
            }
        }

        // Headroom: unreserved resources kept back so unmet guarantees can still be satisfied later.
        var required = Resources.Empty;
        foreach (var role in _roles.Values)
        {
            if (role.Quota is not null)
            {
                required += Unmet(role, reservedByRole);
            }
        }

        var available = Resources.Empty;
        foreach (var agent in agents)
        {
            available += agent.FreeUnreserved.ScalarsOnly();
        }

        // Stage 2: every role in fair-share order; the unreserved part is cut to the quota limit and the headroom.
        foreach (var agent in agents)
        {
            foreach (var role in SortRoles(quotaOnly: false, reservedByRole))
            {
                var spare = available - required;
                var unreserved = agent.FreeUnreserved.CapScalars(LimitHeadroom(role, reservedByRole)).CapScalars(spare);
                var granted = TryOfferToRole(agent, role, unreserved, now, made);
                if (granted is { } g)
                {
                    available -= g.Unreserved.ScalarsOnly();
                }
            }
        }

        return made.Values.ToList();
    }

    /// <summary>Whether a bundle is worth offering: either minimum of <c>cpus:0.01|mem:32</c> suffices.</summary>
    public bool IsAllocatable(Resources r) => r.Cpus >= _options.MinAllocatableCpus || r.Mem >= _options.MinAllocatableMem;

    private AllocatedSlice? TryOfferToRole(
        AgentSlot agent, RoleSlot role, Resources unreserved, DateTimeOffset now,
        Dictionary<(string Agent, string Framework), AllocatorOffer> made)
    {
        var reserved = agent.FreeReserved.GetValueOrDefault(role.Name);
        var slice = new AllocatedSlice(unreserved, reserved);
        if (!IsAllocatable(slice.Total))
        {
            return null;
        }

        foreach (var framework in SortFrameworks(role))
        {
            if (IsFiltered(agent.Id, framework.Id, slice.Total, now))
            {
                continue;
            }

            Grant(agent, framework, slice);
            var key = (agent.Id, framework.Id);
            made[key] = made.TryGetValue(key, out var earlier)
                ? earlier with { Unreserved = earlier.Unreserved + slice.Unreserved, Reserved = earlier.Reserved + slice.Reserved }
                : new AllocatorOffer(agent.Id, framework.Id, role.Name, slice.Unreserved, slice.Reserved);
            return slice;
        }

        return null;
    }

    private bool IsFiltered(string agentId, string frameworkId, Resources offered, DateTimeOffset now) =>
        _filters.TryGetValue((agentId, frameworkId), out var filter) && now < filter.Expires && filter.Refused.Contains(offered);

    private void ExpireFilters(DateTimeOffset now)
    {
        if (_filters.Count == 0)
        {
            return;
        }

        foreach (var (key, filter) in _filters.ToList())
        {
            if (now >= filter.Expires)
            {
                _filters.Remove(key);
            }
        }
    }

    private Dictionary<string, Resources> ReservedTotalsByRole()
    {
        var totals = new Dictionary<string, Resources>(StringComparer.Ordinal);
        foreach (var agent in _agents.Values)
        {
            foreach (var (role, r) in agent.TotalReserved)
            {
                totals[role] = totals.GetValueOrDefault(role) + r.ScalarsOnly();
            }
        }

        return totals;
    }

    /// <summary>Consumed quota = reservations + unreserved allocation (Mesos's definition).</summary>
    private static Resources Consumed(RoleSlot role, Dictionary<string, Resources> reservedByRole) =>
        reservedByRole.GetValueOrDefault(role.Name) + role.UnreservedAllocated;

    private static Resources Unmet(RoleSlot role, Dictionary<string, Resources> reservedByRole) =>
        role.Quota is { } quota ? quota.Guarantee.ScalarsOnly() - Consumed(role, reservedByRole) : Resources.Empty;

    /// <summary>How much more unreserved scalar the role may take before its limit; unbounded without a limit.</summary>
    private static Resources LimitHeadroom(RoleSlot role, Dictionary<string, Resources> reservedByRole) =>
        role.Quota?.Limit is { } limit ? limit.ScalarsOnly() - Consumed(role, reservedByRole) : Unbounded;

    private static readonly Resources Unbounded = new(double.MaxValue / 4, double.MaxValue / 4, double.MaxValue / 4);
}
