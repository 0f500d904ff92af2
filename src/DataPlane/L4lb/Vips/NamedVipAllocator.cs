using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Minuet.DataPlane.L4lb.Vips;

/// <summary>
/// Gives each named VIP (<c>label.framework</c>) an address in the VIP range that every node computes alike
/// from the cluster state alone, whatever order it saw it in, and that a newcomer cannot take from a live VIP
/// (DC/OS probed from a hash in first-come order, so nodes could disagree after a collision; an earlier
/// Minuet gave a contested slot to the alphabetically smallest name, so a new name could move a live VIP):
/// <list type="number">
/// <item>each name prefers the slot <c>SHA-256(name) mod size</c>;</item>
/// <item>names are placed oldest first (<see cref="NamedVipClaim"/>: earliest task status time, then task id,
/// then name); each takes its preferred slot, or when an older name or an IP VIP holds it, probes forward
/// (wrapping) to the next free slot.</item>
/// </list>
/// A name's address depends only on the names older than it, so a new name (its tasks are newer) never moves
/// a live VIP. See the L4lb README for what can still move one.
/// </summary>
internal sealed class NamedVipAllocator(VipRange range)
{
    // SHA-256 of every name on every allocation was most of a 10,000-task VIP build and of each change that moves a
    // name's oldest claim; a name's slot never changes, so it is kept. Only the names of the last allocation stay
    // (the cache is swapped each time), so departed names do not pile up. Guarded: allocations are rare and short.
    private readonly Lock _slotsLock = new();
    private Dictionary<string, long> _slots = new(StringComparer.Ordinal);

    public VipRange Range { get; } = range;

    /// <summary>The slot a name prefers, in [0, Range.Size).</summary>
    public long PreferredSlot(string name)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var bytes = Encoding.UTF8.GetBytes(name);
        SHA256.HashData(bytes, hash);
        return (long)(BinaryPrimitives.ReadUInt64BigEndian(hash) % (ulong)Range.Size);
    }

    /// <summary>Allocates names without seniority (ordered by name alone).</summary>
    public NamedVipAllocation Allocate(IEnumerable<string> names, IReadOnlySet<uint> reserved) =>
        Allocate(names.Select(NamedVipClaim.Unaged), reserved);

    /// <param name="claims">Named VIPs with their seniority; several claims on one name keep the oldest.</param>
    /// <param name="reserved">Addresses already used by IP VIPs; named VIPs avoid them.</param>
    public NamedVipAllocation Allocate(IEnumerable<NamedVipClaim> claims, IReadOnlySet<uint> reserved)
    {
        var taken = new HashSet<long>();
        foreach (uint address in reserved)
        {
            long slot = Range.SlotOf(address);
            if (slot >= 0)
            {
                taken.Add(slot);
            }
        }

        var oldest = new Dictionary<string, NamedVipClaim>(StringComparer.Ordinal);
        foreach (var claim in claims)
        {
            oldest[claim.Name] = oldest.TryGetValue(claim.Name, out var seen) ? NamedVipClaim.Older(seen, claim) : claim;
        }

        var ordered = new NamedVipClaim[oldest.Count];
        oldest.Values.CopyTo(ordered, 0);
        Array.Sort(ordered);
        var addresses = new Dictionary<string, uint>(ordered.Length, StringComparer.Ordinal);
        var unplaced = new List<string>();
        var slots = CachedSlots(ordered);
        for (int i = 0; i < ordered.Length; i++)
        {
            var claim = ordered[i];
            long preferred = slots[i];
            long slot = taken.Contains(preferred) ? Probe(preferred, taken) : preferred;
            if (slot < 0)
            {
                unplaced.Add(claim.Name);
                continue;
            }

            taken.Add(slot);
            addresses[claim.Name] = Range.AddressAt(slot);
        }

        return new NamedVipAllocation(addresses, unplaced);
    }

    /// <summary>The preferred slot of each claim's name, from the cache where it is known.</summary>
    private long[] CachedSlots(NamedVipClaim[] claims)
    {
        var slots = new long[claims.Length];
        lock (_slotsLock)
        {
            var previous = _slots;
            var next = new Dictionary<string, long>(claims.Length, StringComparer.Ordinal);
            for (int i = 0; i < claims.Length; i++)
            {
                string name = claims[i].Name;
                if (!previous.TryGetValue(name, out long slot))
                {
                    slot = PreferredSlot(name);
                }

                slots[i] = slot;
                next[name] = slot;
            }

            _slots = next;
        }

        return slots;
    }

    private long Probe(long preferred, HashSet<long> taken)
    {
        long size = Range.Size;
        if (taken.Count >= size)
        {
            return -1;
        }

        for (long step = 1; step <= size; step++)
        {
            long slot = (preferred + step) % size;
            if (!taken.Contains(slot))
            {
                return slot;
            }
        }

        return -1;
    }
}

/// <summary>The addresses given to named VIPs, and the names that did not fit in the range.</summary>
internal sealed record NamedVipAllocation(IReadOnlyDictionary<string, uint> Addresses, IReadOnlyList<string> Unplaced);
