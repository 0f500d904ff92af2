using System.Buffers.Binary;
using System.Net.Sockets;
using Minuet.DataPlane.Dns.Codec;
using Minuet.DataPlane.Dns.Records;

namespace Minuet.DataPlane.Dns.Answers;

/// <summary>
/// Compiles a <see cref="DnsRecordSet"/> into a <see cref="DnsAnswerIndex"/>: for every name and type a complete
/// compressed response in up to <see cref="MaxRotations"/> record orders. <see cref="Compile"/> (what the server
/// uses) only finds the zones, apexes and empty non-terminals and leaves each name's answers to its first query
/// (<c>DnsAnswerCompiler.Lazy.cs</c>); <see cref="CompileEager"/> compiles every name up front (the reference the
/// lazy answers are tested against).
/// </summary>
internal static partial class DnsAnswerCompiler
{
    /// <summary>Rotations kept per answer: enough to spread load over every record of a small set, bounded for big ones.</summary>
    public const int MaxRotations = 8;

    private const ushort ClassIn = 1;

    /// <summary>Compiles every name's answers now, into one table of precompiled answers.</summary>
    public static DnsAnswerIndex CompileEager(DnsRecordSet records, bool ready = true)
    {
        ArgumentNullException.ThrowIfNull(records);
        var zoneInfo = records.Zone;
        var zones = BuildZones(zoneInfo);
        var builder = new CompileContext(records);

        // Keyed by lower-case wire name: no text round trips while compiling tens of thousands of names.
        var entries = new Dictionary<byte[], DnsNameEntry>(records.Names.Count + (records.Names.Count / 4), WireNameComparer.Instance);
        int skipped = 0;
        foreach (var (name, data) in records.Names)
        {
            var wire = builder.Wire(name);
            if (wire is null)
            {
                skipped++;
                continue;
            }

            int zone = FindZone(zones, wire);
            if (zone < 0)
            {
                skipped++;
                continue;
            }

            entries[wire] = builder.CompileName(wire, zone, data, isApex: wire.Length == zones[zone].Apex.Length);
        }

        for (int z = 0; z < zones.Length; z++)
        {
            if (!entries.ContainsKey(zones[z].Apex))
            {
                entries[zones[z].Apex] = builder.CompileName(zones[z].Apex, z, new DnsNameRecords { Ttl = zoneInfo.Ttl }, isApex: true);
            }
        }

        AddEmptyNonTerminals(entries, zones);
        return new DnsAnswerIndex(ShardedNameTable<DnsNameEntry>.Create(entries), zones, skipped, ready);
    }

    private static DnsZone[] BuildZones(DnsZoneInfo info)
    {
        var zones = new List<DnsZone>();
        foreach (string apexText in info.AuthoritativeZones.IsDefault ? [] : info.AuthoritativeZones)
        {
            byte[] apex = DnsName.Encode(apexText);
            zones.Add(new DnsZone(apex, SoaAfterOwner(info)));
        }

        return [.. zones];
    }

    private static byte[] SoaAfterOwner(DnsZoneInfo info)
    {
        byte[] mname = DnsName.Encode(info.SoaMname);
        byte[] rname = DnsName.Encode(info.SoaRname);
        var bytes = new byte[10 + mname.Length + rname.Length + 20];
        var s = bytes.AsSpan();
        BinaryPrimitives.WriteUInt16BigEndian(s, (ushort)DnsRecordType.Soa);
        BinaryPrimitives.WriteUInt16BigEndian(s[2..], ClassIn);
        // RFC 2308 5: resolvers cache a negative answer for min(this SOA's TTL, MINIMUM); both are the negative TTL.
        BinaryPrimitives.WriteUInt32BigEndian(s[4..], (uint)info.EffectiveNegativeTtl);
        BinaryPrimitives.WriteUInt16BigEndian(s[8..], (ushort)(mname.Length + rname.Length + 20));
        mname.CopyTo(s[10..]);
        rname.CopyTo(s[(10 + mname.Length)..]);
        SoaNumbers(info).CopyTo(s[(10 + mname.Length + rname.Length)..]);
        return bytes;
    }

    internal static byte[] SoaNumbers(DnsZoneInfo info)
    {
        var numbers = new byte[20];
        BinaryPrimitives.WriteUInt32BigEndian(numbers, info.Serial);
        BinaryPrimitives.WriteUInt32BigEndian(numbers.AsSpan(4), (uint)info.Refresh);
        BinaryPrimitives.WriteUInt32BigEndian(numbers.AsSpan(8), (uint)info.Retry);
        BinaryPrimitives.WriteUInt32BigEndian(numbers.AsSpan(12), (uint)info.Expire);
        BinaryPrimitives.WriteUInt32BigEndian(numbers.AsSpan(16), (uint)info.EffectiveNegativeTtl);
        return numbers;
    }

    private static int FindZone(DnsZone[] zones, ReadOnlySpan<byte> name)
    {
        int best = -1, bestOffset = int.MaxValue;
        for (int i = 0; i < zones.Length; i++)
        {
            int offset = DnsName.SuffixOffset(name, zones[i].Apex);
            if (offset >= 0 && offset < bestOffset)
            {
                best = i;
                bestOffset = offset;
            }
        }

        return best;
    }

    // RFC 8020: a name with descendants exists even without records, so it answers NODATA, never NXDOMAIN.
    private static void AddEmptyNonTerminals(Dictionary<byte[], DnsNameEntry> entries, DnsZone[] zones)
    {
        foreach (var (wire, entry) in entries.ToList())
        {
            int apexOffset = wire.Length - zones[entry.ZoneIndex].Apex.Length;
            int pos = wire[0] + 1;
            while (pos < apexOffset)
            {
                byte[] parent = wire[pos..];
                if (!entries.TryAdd(parent, new DnsNameEntry { ZoneIndex = entry.ZoneIndex }))
                {
                    // Once one ancestor exists, every higher one was added with it.
                    break;
                }

                pos += wire[pos] + 1;
            }
        }
    }

    /// <summary>Equality of lower-case wire names (the compiler's dictionary key).</summary>
    private sealed class WireNameComparer : IEqualityComparer<byte[]>
    {
        public static readonly WireNameComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => (int)DnsName.HashLower(obj);
    }

    internal static byte[] AddressBytes(System.Net.IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? address.GetAddressBytes() : address.MapToIPv4().GetAddressBytes();
}
