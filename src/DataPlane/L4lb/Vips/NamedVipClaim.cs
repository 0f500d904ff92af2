namespace Minuet.DataPlane.L4lb.Vips;

/// <summary>
/// A named VIP (<c>label.framework</c>) with its seniority: the earliest status timestamp (Mesos seconds) and
/// task id among its running tasks. Every agent reads both from the same master state, so every agent orders
/// claims alike; an older claim is placed first and a newcomer can never take its address.
/// </summary>
internal readonly record struct NamedVipClaim(string Name, double Since, string OldestTaskId) : IComparable<NamedVipClaim>
{
    /// <summary>A claim with no seniority (all such claims order by name alone).</summary>
    public static NamedVipClaim Unaged(string name) => new(name, double.MaxValue, string.Empty);

    /// <summary>Older first; equal times by task id, then by name, all ordinal, so the order is total.</summary>
    public int CompareTo(NamedVipClaim other)
    {
        int bySince = Since.CompareTo(other.Since);
        if (bySince != 0)
        {
            return bySince;
        }

        int byTask = string.CompareOrdinal(OldestTaskId, other.OldestTaskId);
        return byTask != 0 ? byTask : string.CompareOrdinal(Name, other.Name);
    }

    /// <summary>The older of two claims on the same name (one per task carrying it).</summary>
    public static NamedVipClaim Older(NamedVipClaim a, NamedVipClaim b) => a.CompareTo(b) <= 0 ? a : b;
}
