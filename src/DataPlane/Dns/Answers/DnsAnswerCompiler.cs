using System.Buffers.Binary;
using System.Net.Sockets;
using Minuet.DataPlane.Dns.Codec;
using Minuet.DataPlane.Dns.Records;

namespace Minuet.DataPlane.Dns.Answers;

/// <summary>
/// Compiles a <see cref="DnsRecordSet"/> into a <see cref="DnsAnswerIndex"/>: for every name and type a complete
/// compressed response in up to <see cref="MaxRotations"/> record orders. Runs once per snapshot, off the query path.
/// </summary>
internal static partial class DnsAnswerCompiler
{
    /// <summary>Rotations kept per answer: enough to spread load over every record of a small set, bounded for big ones.</summary>
    public const int MaxRotations = 8;

    private const ushort ClassIn = 1;

    public static DnsAnswerIndex Compile(DnsRecordSet records, bool ready = true)
    {
        ArgumentNullException.ThrowIfNull(records);
        var zoneInfo = records.Zone;
        var zones = BuildZones(zoneInfo);
        var builder = new CompileContext(records);

        var entries = new Dictionary<string, DnsNameEntry>(StringComparer.Ordinal);
        var wireNames = new Dictionary<string, byte[]>(StringComparer.Ordinal);
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

            string key = DnsName.ToText(wire);
            wireNames[key] = wire;
            entries[key] = builder.CompileName(wire, zone, data, isApex: wire.Length == zones[zone].Apex.Length);
        }

        for (int z = 0; z < zones.Length; z++)
        {
            string key = DnsName.ToText(zones[z].Apex);
            if (!entries.ContainsKey(key))
            {
                wireNames[key] = zones[z].Apex;
                entries[key] = builder.CompileName(zones[z].Apex, z, new DnsNameRecords { Ttl = zoneInfo.Ttl }, isApex: true);
            }
        }

        AddEmptyNonTerminals(entries, wireNames, zones);
        var items = entries.Select(e => KeyValuePair.Create(wireNames[e.Key], e.Value)).ToList();
        return new DnsAnswerIndex(new DnsNameTable<DnsNameEntry>(items), zones, skipped, ready);
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
        // RFC 2308 5: the SOA in a negative answer carries min(SOA TTL, MINIMUM); both are the zone TTL here.
        BinaryPrimitives.WriteUInt32BigEndian(s[4..], (uint)info.Ttl);
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
        BinaryPrimitives.WriteUInt32BigEndian(numbers.AsSpan(16), (uint)info.Ttl);
        return numbers;
    }

    private static int FindZone(DnsZone[] zones, byte[] name)
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
    private static void AddEmptyNonTerminals(Dictionary<string, DnsNameEntry> entries, Dictionary<string, byte[]> wireNames, DnsZone[] zones)
    {
        foreach (var wire in wireNames.Values.ToList())
        {
            int zone = FindZone(zones, wire);
            int apexOffset = DnsName.SuffixOffset(wire, zones[zone].Apex);
            int pos = wire[0] + 1;
            while (pos < apexOffset)
            {
                byte[] parent = wire[pos..];
                string key = DnsName.ToText(parent);
                if (!entries.ContainsKey(key))
                {
                    entries[key] = new DnsNameEntry { ZoneIndex = zone };
                    wireNames[key] = parent;
                }

                pos += wire[pos] + 1;
            }
        }
    }

    internal static byte[] AddressBytes(System.Net.IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 ? address.GetAddressBytes() : address.MapToIPv4().GetAddressBytes();
}
