using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Minuet.DataPlane.L4lb.Vips;

/// <summary>
/// Gives each named VIP (<c>label.framework</c>) an address in the VIP range that every node computes alike
/// from the set of names alone, whatever order it saw them in. DC/OS probed from a hash in first-come order,
/// so two nodes could disagree after a collision; here:
/// <list type="number">
/// <item>each name prefers the slot <c>SHA-256(name) mod size</c>;</item>
/// <item>of the names preferring one slot, the ordinally smallest gets it (unless an IP VIP already sits there);</item>
/// <item>the others, in ordinal order, probe forward (wrapping) to the next slot nobody holds.</item>
/// </list>
/// A name keeps its address as long as no new name collides with it.
/// </summary>
internal sealed class NamedVipAllocator(VipRange range)
{
    public VipRange Range { get; } = range;

    /// <summary>The slot a name prefers, in [0, Range.Size).</summary>
    public long PreferredSlot(string name)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        var bytes = Encoding.UTF8.GetBytes(name);
        SHA256.HashData(bytes, hash);
        return (long)(BinaryPrimitives.ReadUInt64BigEndian(hash) % (ulong)Range.Size);
    }

    /// <param name="names">Named VIP keys (<c>label.framework</c>); duplicates are ignored.</param>
    /// <param name="reserved">Addresses already used by IP VIPs; named VIPs avoid them.</param>
    public NamedVipAllocation Allocate(IEnumerable<string> names, IReadOnlySet<uint> reserved)
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

        var addresses = new Dictionary<string, uint>(StringComparer.Ordinal);
        var losers = new List<(string Name, long Slot)>();
        var byPreferred = names.Distinct(StringComparer.Ordinal)
            .Select(name => (Name: name, Slot: PreferredSlot(name)))
            .GroupBy(x => x.Slot);

        foreach (var group in byPreferred)
        {
            var contenders = group.Select(x => x.Name).Order(StringComparer.Ordinal).ToList();
            int firstLoser = 0;
            if (!taken.Contains(group.Key))
            {
                taken.Add(group.Key);
                addresses[contenders[0]] = Range.AddressAt(group.Key);
                firstLoser = 1;
            }

            for (int i = firstLoser; i < contenders.Count; i++)
            {
                losers.Add((contenders[i], group.Key));
            }
        }

        var unplaced = new List<string>();
        foreach (var (name, preferred) in losers.OrderBy(x => x.Name, StringComparer.Ordinal))
        {
            long slot = Probe(preferred, taken);
            if (slot < 0)
            {
                unplaced.Add(name);
                continue;
            }

            taken.Add(slot);
            addresses[name] = Range.AddressAt(slot);
        }

        return new NamedVipAllocation(addresses, unplaced);
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
