using Minuet.DataPlane.Dns.Codec;
using Minuet.DataPlane.Dns.Records;

namespace Minuet.DataPlane.Dns.Answers;

internal static partial class DnsAnswerCompiler
{
    /// <summary>
    /// The index for <paramref name="delta"/>'s record set, from <paramref name="previous"/> (built from the delta's
    /// previous set): recompiles the zone apexes (the SOA serial moves with every snapshot), adds and removes empty
    /// non-terminals, and keeps the compile scope, so the answers cached on every untouched name's records stay
    /// valid while a touched name (a new records object) compiles again on its next query. <paramref name="below"/>
    /// counts, per name, the names with records under it inside its zone; it is updated in place.
    /// Answers are byte for byte those of <see cref="CompileEager"/> on the new set.
    /// </summary>
    public static DnsAnswerIndex Update(DnsAnswerIndex previous, RecordDelta delta, Dictionary<string, int> below)
    {
        ArgumentNullException.ThrowIfNull(previous);
        ArgumentNullException.ThrowIfNull(delta);
        ArgumentNullException.ThrowIfNull(below);
        var records = delta.Current;
        if (previous.Names is not LazyNameTable table)
        {
            return Compile(records, previous.Ready);
        }

        var zones = BuildZones(records.Zone);
        string[] apexes = ApexTexts(zones);
        var counts = below.GetAlternateLookup<ReadOnlySpan<char>>();
        var nonTerminals = new NonTerminalEdits(table.NonTerminals);
        int skipped = previous.SkippedNames;
        int served = table.Served;
        foreach (string name in delta.ChangedNames)
        {
            int had = delta.Previous.Names.ContainsKey(name) ? 1 : 0;
            int has = records.Names.ContainsKey(name) ? 1 : 0;
            int zone = FindZone(apexes, name, out int apexStart);
            if (zone < 0 || !Encodable(name))
            {
                skipped += has - had;
                continue;
            }

            if (apexStart == 0)
            {
                continue; // apexes are recompiled below whatever changed
            }

            served += has - had;
            nonTerminals.Set(name, has == 0 && counts.TryGetValue(name.AsSpan(), out int under) && under > 0);
            if (had == has)
            {
                continue;
            }

            // The name appeared or went: each ancestor below the apex gains or loses a descendant, and one whose
            // count crosses zero (and that has no records of its own) starts or stops being an empty non-terminal.
            int pos = name.IndexOf('.', StringComparison.Ordinal) + 1;
            while (pos > 0 && pos < apexStart)
            {
                var ancestor = name.AsSpan(pos);
                counts.TryGetValue(ancestor, out int count);
                int updated = count + (has == 1 ? 1 : -1);
                if (updated <= 0)
                {
                    counts.Remove(ancestor);
                }
                else
                {
                    counts[ancestor] = updated;
                }

                if ((count == 0) != (updated <= 0) && !records.TryGetValue(ancestor, out _))
                {
                    nonTerminals.Set(name[pos..], updated > 0);
                }

                pos = name.IndexOf('.', pos) + 1;
            }
        }

        var next = new LazyNameTable(records, zones, CompileApexes(records, zones, apexes), nonTerminals.Result, served, table.Scope);
        return new DnsAnswerIndex(next, zones, skipped, previous.Ready);
    }

    /// <summary>Copy-on-write edits of a published (so never written) set of empty non-terminals.</summary>
    private sealed class NonTerminalEdits(HashSet<string> published)
    {
        private HashSet<string>? _copy;

        public HashSet<string> Result => _copy ?? published;

        public void Set(string name, bool present)
        {
            if (Result.Contains(name) == present)
            {
                return;
            }

            _copy ??= new HashSet<string>(published, StringComparer.Ordinal);
            if (present)
            {
                _copy.Add(name);
            }
            else
            {
                _copy.Remove(name);
            }
        }
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
