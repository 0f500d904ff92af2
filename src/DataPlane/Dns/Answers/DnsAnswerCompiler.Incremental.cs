using Minuet.DataPlane.Dns.Codec;
using Minuet.DataPlane.Dns.Records;

namespace Minuet.DataPlane.Dns.Answers;

internal static partial class DnsAnswerCompiler
{
    // A delta compiles a handful of names: small arena chunks keep the unused tail each delta pins small.
    private const int DeltaArenaChunk = 8 * 1024;

    /// <summary>
    /// The index for <paramref name="delta"/>'s record set, from <paramref name="previous"/> (compiled from the delta's
    /// previous set): recompiles the changed names and the zone apexes (the SOA serial moves with every snapshot),
    /// adds and removes empty non-terminals, and shares every untouched shard. <paramref name="below"/> counts, per
    /// name, the names with records under it inside its zone; it is updated in place.
    /// Answers are byte for byte those of <see cref="Compile"/> on the new set.
    /// </summary>
    public static DnsAnswerIndex Update(DnsAnswerIndex previous, RecordDelta delta, Dictionary<string, int> below)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(delta);
        ArgumentNullException.ThrowIfNull(below);
        var records = delta.Current;
        var zones = BuildZones(records.Zone);
        var builder = new CompileContext(records, DeltaArenaChunk);
        var changes = new Dictionary<byte[], DnsNameEntry?>(ShardedNameTable<DnsNameEntry>.WireNameComparer.Instance);
        var counts = below.GetAlternateLookup<ReadOnlySpan<char>>();
        int skipped = previous.SkippedNames;
        foreach (string name in delta.ChangedNames)
        {
            bool had = delta.Previous.Names.ContainsKey(name);
            records.Names.TryGetValue(name, out var data);
            bool has = data is not null;
            var wire = builder.Wire(name);
            int zone = wire is null ? -1 : FindZone(zones, wire);
            if (zone < 0)
            {
                skipped += (has ? 1 : 0) - (had ? 1 : 0);
                continue;
            }

            int apexOffset = wire!.Length - zones[zone].Apex.Length;
            if (apexOffset == 0)
            {
                continue; // apexes are recompiled below whatever changed
            }

            changes[wire] = has
                ? builder.CompileName(wire, zone, data!, isApex: false)
                : counts.TryGetValue(name.AsSpan(), out int under) && under > 0 ? new DnsNameEntry { ZoneIndex = zone } : null;

            if (had == has)
            {
                continue;
            }

            // The name appeared or went: each ancestor below the apex gains or loses a descendant, and one whose
            // count crosses zero (and that has no records of its own) starts or stops being an empty non-terminal.
            int pos = name.IndexOf('.', StringComparison.Ordinal) + 1;
            while (pos > 0 && pos < apexOffset)
            {
                var ancestor = name.AsSpan(pos);
                counts.TryGetValue(ancestor, out int count);
                int updated = count + (has ? 1 : -1);
                if (updated <= 0)
                {
                    counts.Remove(ancestor);
                }
                else
                {
                    counts[ancestor] = updated;
                }

                if ((count == 0) != (updated <= 0) && !records.Names.ContainsKey(name[pos..]))
                {
                    changes[wire[pos..]] = updated > 0 ? new DnsNameEntry { ZoneIndex = zone } : null;
                }

                pos = name.IndexOf('.', pos) + 1;
            }
        }

        for (int z = 0; z < zones.Length; z++)
        {
            string apex = records.Zone.AuthoritativeZones[z];
            var data = records.Names.TryGetValue(apex, out var apexData) ? apexData : new DnsNameRecords { Ttl = records.Zone.Ttl };
            changes[zones[z].Apex] = builder.CompileName(zones[z].Apex, z, data, isApex: true);
        }

        return new DnsAnswerIndex(previous.Names.With(changes), zones, skipped, previous.Ready);
    }

    /// <summary>For every name, how many names with records lie under it inside its zone (what <see cref="Update"/> keeps).</summary>
    public static Dictionary<string, int> CountDescendants(DnsRecordSet records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var zones = BuildZones(records.Zone);
        var below = new Dictionary<string, int>(StringComparer.Ordinal);
        var counts = below.GetAlternateLookup<ReadOnlySpan<char>>();
        Span<byte> wire = stackalloc byte[DnsName.MaxLength + 1];
        foreach (string name in records.Names.Keys)
        {
            if (!DnsName.TryEncode(name, wire, out int length))
            {
                continue;
            }

            int zone = FindZone(zones, wire[..length]);
            if (zone < 0)
            {
                continue;
            }

            int apexOffset = length - zones[zone].Apex.Length;
            int pos = name.IndexOf('.', StringComparison.Ordinal) + 1;
            while (pos > 0 && pos < apexOffset)
            {
                ref int count = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(counts, name.AsSpan(pos), out _);
                count++;
                pos = name.IndexOf('.', pos) + 1;
            }
        }

        return below;
    }

    /// <summary>Whether two zone descriptions compile alike apart from the SOA serial.</summary>
    public static bool SameZonesButSerial(DnsZoneInfo a, DnsZoneInfo b) =>
        a.AuthoritativeZones.AsSpan().SequenceEqual(b.AuthoritativeZones.AsSpan())
        && (a with { Serial = 0, AuthoritativeZones = [] }) == (b with { Serial = 0, AuthoritativeZones = [] });
}
