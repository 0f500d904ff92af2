namespace Minuet.ControlPlane.Allocation;

/// <summary>
/// A role's quota: a guarantee (allocated first, protected by headroom) and an optional limit (never exceeded).
/// Scalars only, as in Mesos; ports are ignored here.
/// </summary>
public sealed record RoleQuota(Resources Guarantee, Resources? Limit = null);
