namespace Minuet.ControlPlane.Allocation;

/// <summary>Agents, frameworks, roles, weights and quota coming and going.</summary>
public sealed partial class HierarchicalAllocator
{
    /// <summary>
    /// Adds an agent (or replaces it, as on re-registration). <paramref name="used"/> lists what frameworks already
    /// run there (tasks re-adopted after a master restart): it is allocated to them at once.
    /// </summary>
    public void AddAgent(string agentId, AgentResources total, IEnumerable<(string FrameworkId, string Role, AllocatedSlice Slice)>? used = null)
    {
        ArgumentNullException.ThrowIfNull(total);
        RemoveAgent(agentId);
        var slot = new AgentSlot(agentId, total);
        _agents[agentId] = slot;
        ClusterTotal += slot.Total;
        if (used is null)
        {
            return;
        }

        foreach (var (frameworkId, role, slice) in used)
        {
            if (!_frameworks.ContainsKey(frameworkId))
            {
                AddFramework(frameworkId, role, active: false);
            }

            var framework = _frameworks[frameworkId];
            var fitted = new AllocatedSlice(
                slice.Unreserved.CapScalars(slot.FreeUnreserved).WithPorts(slice.Unreserved.Ports.Subtract(slice.Unreserved.Ports.Subtract(slot.FreeUnreserved.Ports))),
                slot.FreeReserved.TryGetValue(framework.Role, out var free) ? slice.Reserved.CapScalars(free) : Resources.Empty);
            Grant(slot, framework, fitted);
        }
    }

    /// <summary>Removes an agent: its resources leave the cluster and every framework's allocation there is dropped.</summary>
    public bool RemoveAgent(string agentId)
    {
        if (!_agents.Remove(agentId, out var slot))
        {
            return false;
        }

        foreach (var (frameworkId, slice) in slot.Allocations)
        {
            if (_frameworks.TryGetValue(frameworkId, out var framework))
            {
                Release(framework, slice);
            }
        }

        ClusterTotal -= slot.Total;
        foreach (var key in _filters.Keys.Where(k => k.Agent == agentId).ToList())
        {
            _filters.Remove(key);
        }

        return true;
    }

    public bool HasAgent(string agentId) => _agents.ContainsKey(agentId);

    /// <summary>Adds a framework subscribed to one role (or reactivates it, keeping its allocations).</summary>
    public void AddFramework(string frameworkId, string role, bool active = true)
    {
        if (_frameworks.TryGetValue(frameworkId, out var existing))
        {
            existing.Active = active;
            return;
        }

        var framework = new FrameworkSlot(frameworkId, role) { Active = active };
        _frameworks[frameworkId] = framework;
        RoleOf(role).Frameworks.Add(framework);
    }

    /// <summary>Removes a framework and returns everything it holds to the free pools.</summary>
    public void RemoveFramework(string frameworkId)
    {
        if (!_frameworks.Remove(frameworkId, out var framework))
        {
            return;
        }

        foreach (var agent in _agents.Values)
        {
            if (agent.Allocations.Remove(frameworkId, out var slice))
            {
                ReturnToAgent(agent, framework.Role, slice);
                Release(framework, slice);
            }
        }

        RoleOf(framework.Role).Frameworks.Remove(framework);
        foreach (var key in _filters.Keys.Where(k => k.Framework == frameworkId).ToList())
        {
            _filters.Remove(key);
        }
    }

    /// <summary>A disconnected framework keeps its allocations but gets no offers.</summary>
    public void SetFrameworkActive(string frameworkId, bool active)
    {
        if (_frameworks.TryGetValue(frameworkId, out var framework))
        {
            framework.Active = active;
        }
    }

    public void Suppress(string frameworkId)
    {
        if (_frameworks.TryGetValue(frameworkId, out var framework))
        {
            framework.Suppressed = true;
        }
    }

    /// <summary>Revive clears the framework's filters, as in Mesos.</summary>
    public void Revive(string frameworkId)
    {
        if (_frameworks.TryGetValue(frameworkId, out var framework))
        {
            framework.Suppressed = false;
            foreach (var key in _filters.Keys.Where(k => k.Framework == frameworkId).ToList())
            {
                _filters.Remove(key);
            }
        }
    }

    /// <summary>Sets a role's weight (default 1): a role of weight 2 gets twice the fair share.</summary>
    public void SetWeight(string role, double weight)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(weight);
        RoleOf(role).Weight = weight;
    }

    public void SetQuota(string role, RoleQuota? quota) => RoleOf(role).Quota = quota;

    public double WeightOf(string role) => _roles.TryGetValue(role, out var r) ? r.Weight : 1;

    public RoleQuota? QuotaOf(string role) => _roles.TryGetValue(role, out var r) ? r.Quota : null;
}
