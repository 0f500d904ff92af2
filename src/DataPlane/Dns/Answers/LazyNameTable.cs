using System.Runtime.CompilerServices;
using System.Text;
using Minuet.DataPlane.Dns.Codec;
using Minuet.DataPlane.Dns.Records;

namespace Minuet.DataPlane.Dns.Answers;

/// <summary>
/// The names of an index whose answers are compiled on first query: a query name is looked up in the record set
/// itself (as characters, no copy), and its answers are compiled then and cached on the name's
/// <see cref="DnsNameRecords"/> with one compare-and-swap. A snapshot shares the records objects of every name a
/// delta did not touch, so their answers carry over; a touched name is a new object and compiles again. Zone
/// apexes (whose SOA serial moves with every snapshot) are compiled with the index, and empty non-terminals are a
/// set of names. After the first query of a name the lookup allocates nothing.
/// </summary>
internal sealed class LazyNameTable : INameTable<DnsNameEntry>
{
    private readonly DnsRecordSet _records;
    private readonly DnsZone[] _zones;
    private readonly DnsNameEntry[] _apexes;
    private readonly DnsNameEntry[] _emptyEntries;

    /// <param name="apexes">Per zone, the apex's compiled entry.</param>
    /// <param name="nonTerminals">Names (lower-case, no trailing dot) with descendants but no records; never written after this.</param>
    /// <param name="served">Record-set names below an apex that are served (encodable and inside a zone).</param>
    /// <param name="scope">What cached answers must have been compiled for (zones and settings but the serial).</param>
    public LazyNameTable(DnsRecordSet records, DnsZone[] zones, DnsNameEntry[] apexes, HashSet<string> nonTerminals, int served, object scope)
    {
        _records = records;
        _zones = zones;
        _apexes = apexes;
        NonTerminals = nonTerminals;
        Served = served;
        Scope = scope;
        _emptyEntries = new DnsNameEntry[zones.Length];
        var apexSet = new HashSet<byte[]>(ShardedNameTable<DnsNameEntry>.WireNameComparer.Instance);
        for (int z = 0; z < zones.Length; z++)
        {
            _emptyEntries[z] = new DnsNameEntry { ZoneIndex = z };
            apexSet.Add(zones[z].Apex);
        }

        Count = served + apexSet.Count + nonTerminals.Count;
    }

    public int Count { get; }

    public object Scope { get; }

    public int Served { get; }

    public HashSet<string> NonTerminals { get; }

    [SkipLocalsInit]
    public DnsNameEntry? FindLower(ReadOnlySpan<byte> lowerName)
    {
        int zone = DnsAnswerCompiler.FindZone(_zones, lowerName, out int apexOffset);
        if (zone < 0)
        {
            return null;
        }

        if (apexOffset == 0)
        {
            return _apexes[zone];
        }

        Span<char> text = stackalloc char[DnsName.MaxLength + 1];
        if (!TryGetText(lowerName, text, out int length, out bool ascii))
        {
            return null;
        }

        var key = text[..length];
        if (_records.TryGetValue(key, out var data) && (ascii || SameWire(key, lowerName)))
        {
            return Volatile.Read(ref data.AnswerCache) is DnsNameEntry cached && ReferenceEquals(cached.Scope, Scope)
                ? cached
                : CompileAndCache(data, lowerName, zone);
        }

        return NonTerminals.GetAlternateLookup<ReadOnlySpan<char>>().Contains(key) ? _emptyEntries[zone] : null;
    }

    public IEnumerable<KeyValuePair<byte[], DnsNameEntry>> Items()
    {
        var seen = new HashSet<byte[]>(ShardedNameTable<DnsNameEntry>.WireNameComparer.Instance);
        foreach (string name in _records.Names.Keys.Concat(NonTerminals))
        {
            var wire = new byte[DnsName.MaxLength + 1];
            if (DnsName.TryEncode(name, wire, out int length) && FindLower(wire.AsSpan(0, length)) is { } entry && seen.Add(wire[..length]))
            {
                yield return new(wire[..length], entry);
            }
        }

        foreach (var zone in _zones)
        {
            if (seen.Add(zone.Apex))
            {
                yield return new(zone.Apex, FindLower(zone.Apex)!);
            }
        }
    }

    private DnsNameEntry CompileAndCache(DnsNameRecords data, ReadOnlySpan<byte> lowerName, int zone)
    {
        object? observed = Volatile.Read(ref data.AnswerCache);
        var entry = DnsAnswerCompiler.CompileOne(_records, data, lowerName.ToArray(), zone, Scope);
        object? prior = Interlocked.CompareExchange(ref data.AnswerCache, entry, observed);
        // Another query compiled it first: serve that one, so every reader of this scope sees the same bytes' owner.
        return ReferenceEquals(prior, observed) || prior is not DnsNameEntry other || !ReferenceEquals(other.Scope, Scope) ? entry : other;
    }

    // Dotted text of a lower-case wire name, as the record set spells it. A label holding a dot can never be a
    // record-set name (its text would read as two labels), so it is not found.
    private static bool TryGetText(ReadOnlySpan<byte> wire, Span<char> text, out int length, out bool ascii)
    {
        length = 0;
        ascii = true;
        int pos = 0;
        while (pos < wire.Length && wire[pos] != 0)
        {
            int labelLength = wire[pos];
            var label = wire.Slice(pos + 1, labelLength);
            if (label.Contains((byte)'.'))
            {
                return false;
            }

            if (length > 0)
            {
                text[length++] = '.';
            }

            if (Ascii.ToUtf16(label, text[length..], out int widened) == System.Buffers.OperationStatus.Done)
            {
                length += widened;
            }
            else
            {
                ascii = false;
                if (!Encoding.UTF8.TryGetChars(label, text[length..], out int written))
                {
                    return false;
                }

                length += written;
            }

            pos += 1 + labelLength;
        }

        return true;
    }

    // A name with non-ASCII labels only matches when its text encodes back to the same wire bytes (a malformed
    // UTF-8 query decodes to replacement characters that must not match a name spelled with them).
    [SkipLocalsInit]
    private static bool SameWire(ReadOnlySpan<char> key, ReadOnlySpan<byte> lowerName)
    {
        Span<byte> wire = stackalloc byte[DnsName.MaxLength + 1];
        return DnsName.TryEncode(key, wire, out int length) && wire[..length].SequenceEqual(lowerName);
    }
}
