namespace Minuet.DataPlane.L4lb.Vips;

/// <summary>Lookup in VIP definitions kept sorted by VIP (a table's <see cref="VipTable.Vips"/> and its builders).</summary>
internal static class SortedVips
{
    /// <summary>
    /// Where <paramref name="vip"/> stands, or (negative) the complement of where it would go, as
    /// <see cref="Array.BinarySearch(Array, object)"/>. Generic so an immutable array is searched without boxing.
    /// </summary>
    public static int IndexOf<TList>(TList definitions, IpPort vip)
        where TList : IReadOnlyList<VipDefinition>
    {
        int lo = 0, hi = definitions.Count - 1;
        while (lo <= hi)
        {
            int mid = (lo + hi) >>> 1;
            int c = definitions[mid].Vip.CompareTo(vip);
            if (c == 0)
            {
                return mid;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return ~lo;
    }
}
