namespace Minuet.ControlPlane.Allocation;

/// <summary>
/// An agent's resources split by reservation: the unreserved pool offered to any role, and pools reserved to one
/// role each (static reservations from the agent's <c>--resources</c>, dynamic ones from RESERVE operations).
/// </summary>
public sealed record AgentResources
{
    public AgentResources(Resources unreserved, IReadOnlyDictionary<string, Resources>? reserved = null)
    {
        Unreserved = unreserved;
        Reserved = reserved ?? new Dictionary<string, Resources>(StringComparer.Ordinal);
    }

    public Resources Unreserved { get; }

    /// <summary>Reserved resources by role.</summary>
    public IReadOnlyDictionary<string, Resources> Reserved { get; }

    public Resources Total
    {
        get
        {
            var total = Unreserved;
            foreach (var r in Reserved.Values)
            {
                total += r;
            }

            return total;
        }
    }
}
