namespace Minuet.ControlPlane.Allocation;

/// <summary>
/// What one allocation cycle gives one framework on one agent: all the free resources of that agent its role may
/// use, split into the unreserved part and the part reserved to the role (so it can be returned to the right pool).
/// </summary>
public sealed record AllocatorOffer(string AgentId, string FrameworkId, string Role, Resources Unreserved, Resources Reserved)
{
    public Resources Total => Unreserved + Reserved;
}
