using Minuet.DataPlane.Dns.Codec;

namespace Minuet.DataPlane.Dns.Answers;

/// <summary>
/// Everything the server answers from, compiled from one <c>DnsRecordSet</c>: existing names with their
/// answers (compiled on first query, or ahead of time) and the authoritative zones. Immutable; the server swaps a new one in on every snapshot.
/// </summary>
internal sealed class DnsAnswerIndex
{
    public DnsAnswerIndex(INameTable<DnsNameEntry> names, DnsZone[] zones, int skippedNames, bool ready = true)
    {
        Names = names;
        Zones = zones;
        SkippedNames = skippedNames;
        Ready = ready;
    }

    /// <summary>
    /// False for the placeholder used before the first snapshot: names in the zones then get SERVFAIL (try again)
    /// rather than an NXDOMAIN that resolvers would cache, Mesos-DNS's restart problem.
    /// </summary>
    public bool Ready { get; }

    /// <summary>
    /// The names: a <see cref="LazyNameTable"/> (answers compiled on first query) from <see cref="DnsAnswerCompiler.Compile"/>,
    /// or a table of precompiled answers from <see cref="DnsAnswerCompiler.CompileEager"/>.
    /// </summary>
    public INameTable<DnsNameEntry> Names { get; }

    public DnsZone[] Zones { get; }

    /// <summary>Record-set names that could not be encoded (label over 63 bytes and the like) and are not served.</summary>
    public int SkippedNames { get; }

    /// <summary>
    /// The authoritative zone holding <paramref name="name"/> (the longest apex that is a suffix), or -1;
    /// <paramref name="apexOffset"/> is where the apex starts within the name.
    /// </summary>
    public int FindZone(ReadOnlySpan<byte> name, out int apexOffset)
    {
        int best = -1;
        apexOffset = -1;
        for (int i = 0; i < Zones.Length; i++)
        {
            // Case-insensitive, so the query path may pass the name as sent or lower-cased.
            int offset = DnsName.SuffixOffset(name, Zones[i].Apex);
            if (offset >= 0 && (best < 0 || offset < apexOffset))
            {
                best = i;
                apexOffset = offset;
            }
        }

        return best;
    }
}
