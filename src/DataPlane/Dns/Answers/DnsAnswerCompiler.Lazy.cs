using System.Text;
using Minuet.DataPlane.Dns.Codec;
using Minuet.DataPlane.Dns.Records;

namespace Minuet.DataPlane.Dns.Answers;

internal static partial class DnsAnswerCompiler
{
    // Lazy compiles of one name each: every answer gets an array of its own rather than a share of a big chunk.
    private const int LazyArenaChunk = 0;

    // One reusable context per query thread (a context is ~150 KB of scratch; a name compiles once per snapshot).
    [ThreadStatic]
    private static CompileContext? t_lazyContext;

    private static readonly DnsRecordSet Unbound = DnsRecordSet.Empty(new DnsZoneInfo());

    /// <summary>
    /// The index for <paramref name="records"/> with each name's answers left to its first query
    /// (<see cref="LazyNameTable"/>): the build only compiles the zone apexes and finds the empty non-terminals, one
    /// pass over the names as text. Answers are byte for byte those of <see cref="CompileEager"/>.
    /// </summary>
    public static DnsAnswerIndex Compile(DnsRecordSet records, bool ready = true)
    {
        ArgumentNullException.ThrowIfNull(records);
        var zones = BuildZones(records.Zone);
        string[] apexes = ApexTexts(zones);
        var nonTerminals = new HashSet<string>(StringComparer.Ordinal);
        var known = nonTerminals.GetAlternateLookup<ReadOnlySpan<char>>();
        int served = 0, skipped = 0;
        foreach (var (name, _) in records.Names)
        {
            int zone = FindZone(apexes, name, out int apexStart);
            if (zone < 0 || !Encodable(name))
            {
                skipped++;
                continue;
            }

            if (apexStart == 0)
            {
                continue;
            }

            served++;
            // RFC 8020: a name with descendants exists even without records (NODATA, never NXDOMAIN). Once an
            // ancestor is known (or has records of its own), every higher one is found from it.
            int pos = name.IndexOf('.', StringComparison.Ordinal) + 1;
            while (pos > 0 && pos < apexStart)
            {
                var ancestor = name.AsSpan(pos);
                if (known.Contains(ancestor) || records.TryGetValue(ancestor, out _))
                {
                    break;
                }

                nonTerminals.Add(name[pos..]);
                pos = name.IndexOf('.', pos) + 1;
            }
        }

        var table = new LazyNameTable(records, zones, CompileApexes(records, zones, apexes), nonTerminals, served, new object());
        return new DnsAnswerIndex(table, zones, skipped, ready);
    }

    /// <summary>Compiles one name's answers for a lazy index, on the querying thread.</summary>
    internal static DnsNameEntry CompileOne(DnsRecordSet records, DnsNameRecords data, byte[] owner, int zone, object scope)
    {
        var context = t_lazyContext ??= new CompileContext(Unbound, LazyArenaChunk);
        context.Bind(records);
        try
        {
            return context.CompileName(owner, zone, data, isApex: false, scope);
        }
        finally
        {
            context.Release(Unbound);
        }
    }

    /// <summary>The zone holding a lower-case wire name (the longest apex that is a suffix), or -1.</summary>
    internal static int FindZone(DnsZone[] zones, ReadOnlySpan<byte> name, out int apexOffset)
    {
        int best = -1;
        apexOffset = int.MaxValue;
        for (int i = 0; i < zones.Length; i++)
        {
            int offset = DnsName.SuffixOffset(name, zones[i].Apex);
            if (offset >= 0 && offset < apexOffset)
            {
                best = i;
                apexOffset = offset;
            }
        }

        return best;
    }

    private static DnsNameEntry[] CompileApexes(DnsRecordSet records, DnsZone[] zones, string[] apexTexts)
    {
        var entries = new DnsNameEntry[zones.Length];
        var context = new CompileContext(records, LazyArenaChunk);
        for (int z = 0; z < zones.Length; z++)
        {
            var data = records.TryGetValue(apexTexts[z], out var apexData) ? apexData : new DnsNameRecords { Ttl = records.Zone.Ttl };
            entries[z] = context.CompileName(zones[z].Apex, z, data, isApex: true);
        }

        return entries;
    }

    private static string[] ApexTexts(DnsZone[] zones)
    {
        var texts = new string[zones.Length];
        for (int z = 0; z < zones.Length; z++)
        {
            texts[z] = DnsName.ToText(zones[z].Apex).TrimEnd('.');
        }

        return texts;
    }

    /// <summary>
    /// <see cref="FindZone(DnsZone[], ReadOnlySpan{byte}, out int)"/> on a record-set name as text: the zone, and
    /// where its apex starts in <paramref name="name"/> (0 for the apex itself).
    /// </summary>
    private static int FindZone(string[] apexes, string name, out int apexStart)
    {
        int best = -1;
        apexStart = int.MaxValue;
        for (int i = 0; i < apexes.Length; i++)
        {
            string apex = apexes[i];
            int start = name.Length - apex.Length;
            bool match = apex.Length == 0
                ? start >= 0
                : start >= 0 && (start == 0 || name[start - 1] == '.') && name.AsSpan(start).Equals(apex, StringComparison.OrdinalIgnoreCase);
            if (match && start < apexStart)
            {
                best = i;
                apexStart = start;
            }
        }

        return best;
    }

    // Whether DnsName.TryEncode takes the name: the short ASCII names the builder makes are checked by their labels.
    private static bool Encodable(string name)
    {
        if (name.Length <= 250 && Ascii.IsValid(name) && (name.Length == 0 || name[^1] != '.'))
        {
            int label = 0;
            foreach (char c in name)
            {
                if (c == '.')
                {
                    if (label == 0)
                    {
                        return false;
                    }

                    label = 0;
                }
                else if (++label > DnsName.MaxLabelLength)
                {
                    return false;
                }
            }

            return name.Length == 0 || label > 0;
        }

        Span<byte> wire = stackalloc byte[DnsName.MaxLength + 1];
        return DnsName.TryEncode(name, wire, out _);
    }
}
