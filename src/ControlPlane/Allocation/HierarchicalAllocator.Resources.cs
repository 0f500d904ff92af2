namespace Minuet.ControlPlane.Allocation;

/// <summary>Granting, recovering and reserving resources; the bookkeeping every share is computed from.</summary>
public sealed partial class HierarchicalAllocator
{
    /// <summary>
    /// Returns resources a framework no longer holds (declined offer, unused part of an accepted offer, finished task).
    /// With a refuse duration the framework is not offered a subset of them on that agent until it passes.
    /// </summary>
    public void Recover(string agentId, string frameworkId, AllocatedSlice slice, TimeSpan? refuse, DateTimeOffset now)
    {
        if (!_agents.TryGetValue(agentId, out var agent) || !_frameworks.TryGetValue(frameworkId, out var framework))
        {
            return;
        }

        if (!agent.Allocations.TryGetValue(frameworkId, out var held))
        {
            return;
        }

        // Never return more than is held: a stale or duplicate recover must not inflate the free pool.
        var returned = new AllocatedSlice(
            slice.Unreserved.CapScalars(held.Unreserved).WithPorts(held.Unreserved.Ports.Subtract(held.Unreserved.Ports.Subtract(slice.Unreserved.Ports))),
            slice.Reserved.CapScalars(held.Reserved).WithPorts(held.Reserved.Ports.Subtract(held.Reserved.Ports.Subtract(slice.Reserved.Ports))));
        var left = held - returned;
        if (left.Total.IsEmpty)
        {
            agent.Allocations.Remove(frameworkId);
        }
        else
        {
            agent.Allocations[frameworkId] = left;
        }

        ReturnToAgent(agent, framework.Role, returned);
        Release(framework, returned);

        if (refuse is { } duration && duration > TimeSpan.Zero && !returned.Total.IsEmpty)
        {
            if (duration > _options.MaxRefuse)
            {
                duration = _options.MaxRefuse;
            }

            _filters[(agentId, frameworkId)] = new OfferFilter(returned.Total, now + duration);
        }
    }

    /// <summary>What a framework holds on an agent (offered or used).</summary>
    public AllocatedSlice AllocationOf(string agentId, string frameworkId) =>
        _agents.TryGetValue(agentId, out var agent) && agent.Allocations.TryGetValue(frameworkId, out var slice) ? slice : default;

    /// <summary>An agent's free resources: unreserved and reserved by role.</summary>
    public AgentResources? FreeOf(string agentId) =>
        _agents.TryGetValue(agentId, out var agent)
            ? new AgentResources(agent.FreeUnreserved, new Dictionary<string, Resources>(agent.FreeReserved, StringComparer.Ordinal))
            : null;

    /// <summary>An agent's total resources, with reservations.</summary>
    public AgentResources? TotalOf(string agentId) =>
        _agents.TryGetValue(agentId, out var agent)
            ? new AgentResources(agent.TotalUnreserved, new Dictionary<string, Resources>(agent.TotalReserved, StringComparer.Ordinal))
            : null;

    /// <summary>
    /// Dynamically reserves unreserved resources to <paramref name="role"/>. With a framework, the resources come out
    /// of what that framework holds on the agent (RESERVE on an offer) and stay allocated to it; without, they come
    /// from the agent's free pool (operator <c>/reserve</c>). Returns a reason on failure.
    /// </summary>
    public string? Reserve(string agentId, string role, Resources resources, string? frameworkId = null)
    {
        if (!_agents.TryGetValue(agentId, out var agent))
        {
            return $"agent '{agentId}' is not registered";
        }

        if (role == Roles.Default)
        {
            return "cannot reserve to the default role '*'";
        }

        if (Roles.Validate(role) is { } roleError)
        {
            return roleError;
        }

        if (frameworkId is null)
        {
            if (!agent.FreeUnreserved.Contains(resources))
            {
                return $"agent '{agentId}' has no free unreserved {resources}";
            }

            agent.FreeUnreserved -= resources;
            agent.FreeReserved[role] = agent.FreeReserved.GetValueOrDefault(role) + resources;
        }
        else
        {
            if (!agent.Allocations.TryGetValue(frameworkId, out var held) || !held.Unreserved.Contains(resources))
            {
                return $"framework '{frameworkId}' does not hold unreserved {resources} on agent '{agentId}'";
            }

            agent.Allocations[frameworkId] = new AllocatedSlice(held.Unreserved - resources, held.Reserved + resources);
            var slot = RoleOf(_frameworks[frameworkId].Role);
            slot.UnreservedAllocated -= resources;
        }

        agent.TotalUnreserved -= resources;
        agent.TotalReserved[role] = agent.TotalReserved.GetValueOrDefault(role) + resources;
        return null;
    }

    /// <summary>Returns free resources reserved to <paramref name="role"/> to the unreserved pool.</summary>
    public string? Unreserve(string agentId, string role, Resources resources)
    {
        if (!_agents.TryGetValue(agentId, out var agent))
        {
            return $"agent '{agentId}' is not registered";
        }

        if (!agent.FreeReserved.TryGetValue(role, out var free) || !free.Contains(resources))
        {
            return $"agent '{agentId}' has no free {resources} reserved to '{role}'";
        }

        agent.FreeReserved[role] = free - resources;
        agent.TotalReserved[role] = agent.TotalReserved[role] - resources;
        if (agent.TotalReserved[role].IsEmpty)
        {
            agent.TotalReserved.Remove(role);
            agent.FreeReserved.Remove(role);
        }

        agent.FreeUnreserved += resources;
        agent.TotalUnreserved += resources;
        return null;
    }

    private void Grant(AgentSlot agent, FrameworkSlot framework, AllocatedSlice slice)
    {
        agent.FreeUnreserved -= slice.Unreserved;
        if (!slice.Reserved.IsEmpty)
        {
            agent.FreeReserved[framework.Role] = agent.FreeReserved.GetValueOrDefault(framework.Role) - slice.Reserved;
        }

        agent.Allocations[framework.Id] = agent.Allocations.GetValueOrDefault(framework.Id) + slice;
        var total = slice.Total.ScalarsOnly();
        framework.Allocated += total;
        framework.AllocationCount++;
        var role = RoleOf(framework.Role);
        role.Allocated += total;
        role.UnreservedAllocated += slice.Unreserved.ScalarsOnly();
        role.AllocationCount++;
    }

    private static void ReturnToAgent(AgentSlot agent, string role, AllocatedSlice slice)
    {
        agent.FreeUnreserved += slice.Unreserved;
        if (!slice.Reserved.IsEmpty)
        {
            agent.FreeReserved[role] = agent.FreeReserved.GetValueOrDefault(role) + slice.Reserved;
        }
    }

    private void Release(FrameworkSlot framework, AllocatedSlice slice)
    {
        var total = slice.Total.ScalarsOnly();
        framework.Allocated -= total;
        var role = RoleOf(framework.Role);
        role.Allocated -= total;
        role.UnreservedAllocated -= slice.Unreserved.ScalarsOnly();
    }
}
