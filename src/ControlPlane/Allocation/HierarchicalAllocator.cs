namespace Minuet.ControlPlane.Allocation;

/// <summary>
/// Mesos's hierarchical DRF allocator as a pure component: no I/O, no clock (callers pass <c>now</c>), no locks
/// (the master serialises calls). It tracks agents, frameworks, roles (weights, quota), reservations, allocations and
/// decline filters, and <see cref="Allocate"/> turns free resources into offers in Mesos's order: quota guarantees
/// first, then fair share by dominant share ÷ weight, ties by allocation count then name.
/// </summary>
public sealed partial class HierarchicalAllocator
{
    private readonly AllocatorOptions _options;
    private readonly Dictionary<string, AgentSlot> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FrameworkSlot> _frameworks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, RoleSlot> _roles = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Agent, string Framework), OfferFilter> _filters = [];

    public HierarchicalAllocator(AllocatorOptions? options = null) => _options = options ?? new AllocatorOptions();

    public AllocatorOptions Options => _options;

    /// <summary>Sum of all active agents' resources (the denominator of every share).</summary>
    public Resources ClusterTotal { get; private set; }

    public int AgentCount => _agents.Count;

    private sealed class AgentSlot(string id, AgentResources total)
    {
        public string Id { get; } = id;

        public Resources TotalUnreserved { get; set; } = total.Unreserved;

        public Dictionary<string, Resources> TotalReserved { get; } = new(total.Reserved, StringComparer.Ordinal);

        public Resources FreeUnreserved { get; set; } = total.Unreserved;

        public Dictionary<string, Resources> FreeReserved { get; } = new(total.Reserved, StringComparer.Ordinal);

        /// <summary>What each framework holds here (offered or used).</summary>
        public Dictionary<string, AllocatedSlice> Allocations { get; } = new(StringComparer.Ordinal);

        public Resources Total
        {
            get
            {
                var t = TotalUnreserved;
                foreach (var r in TotalReserved.Values)
                {
                    t += r;
                }

                return t;
            }
        }
    }

    private sealed class FrameworkSlot(string id, string role)
    {
        public string Id { get; } = id;

        public string Role { get; } = role;

        public bool Active { get; set; } = true;

        public bool Suppressed { get; set; }

        public Resources Allocated { get; set; }

        public long AllocationCount { get; set; }

        public bool WantsOffers => Active && !Suppressed;
    }

    private sealed class RoleSlot(string name)
    {
        public string Name { get; } = name;

        public double Weight { get; set; } = 1;

        public RoleQuota? Quota { get; set; }

        /// <summary>Everything the role's frameworks hold, reserved and unreserved (the DRF numerator).</summary>
        public Resources Allocated { get; set; }

        public Resources UnreservedAllocated { get; set; }

        public long AllocationCount { get; set; }

        public List<FrameworkSlot> Frameworks { get; } = [];
    }

    private readonly record struct OfferFilter(Resources Refused, DateTimeOffset Expires);

    private RoleSlot RoleOf(string name)
    {
        if (!_roles.TryGetValue(name, out var role))
        {
            role = new RoleSlot(name);
            _roles[name] = role;
        }

        return role;
    }
}
