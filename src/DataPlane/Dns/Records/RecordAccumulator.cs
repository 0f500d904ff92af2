using System.Collections.Frozen;
using System.Collections.Immutable;
using System.Net;

namespace Minuet.DataPlane.Dns.Records;

/// <summary>
/// The mutable side of a build: records per owner name as insertion-ordered sets (Mesos-DNS keeps sets, so a
/// repeated name/value pair is dropped). Small value lists are scanned; big ones (<c>slave.mesos</c> with 1,000
/// agents) switch to a hash set so inserts stay O(1), the fix Mesos-DNS needed in its issue #390.
/// </summary>
internal sealed class RecordAccumulator
{
    private readonly Dictionary<string, NameEntry> _names = new(StringComparer.Ordinal);

    /// <summary>When set, every newly added task record is also listed here (for <c>/v1/enumerate</c>).</summary>
    public List<EnumerableRecord>? EnumerationTarget { get; set; }

    public int Count => _names.Count;

    public bool AddAddress(string name, IPAddress address, int ttl)
    {
        var entry = Entry(name, ttl);
        bool v4 = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
        bool added = v4 ? (entry.A ??= new()).Add(address) : (entry.Aaaa ??= new()).Add(address);
        if (added && EnumerationTarget is not null)
        {
            EnumerationTarget.Add(new EnumerableRecord(name + ".", address.ToString(), v4 ? "A" : "AAAA"));
        }

        return added;
    }

    public bool AddSrv(string name, SrvValue value, int ttl)
    {
        bool added = (Entry(name, ttl).Srv ??= new()).Add(value);
        if (added && EnumerationTarget is not null)
        {
            EnumerationTarget.Add(new EnumerableRecord(
                name + ".", value.Target + ".:" + value.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "SRV"));
        }

        return added;
    }

    public FrozenDictionary<string, DnsNameRecords> Freeze()
    {
        var result = new Dictionary<string, DnsNameRecords>(_names.Count, StringComparer.Ordinal);
        foreach (var (name, entry) in _names)
        {
            result[name] = new DnsNameRecords
            {
                A = entry.A?.ToImmutable() ?? [],
                Aaaa = entry.Aaaa?.ToImmutable() ?? [],
                Srv = entry.Srv?.ToImmutable() ?? [],
                Ttl = entry.Ttl,
            };
        }

        return result.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private NameEntry Entry(string name, int ttl)
    {
        ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_names, name, out _);
        return slot ??= new NameEntry(ttl);
    }

    private sealed class NameEntry(int ttl)
    {
        public int Ttl { get; } = ttl;

        public OrderedSet<IPAddress>? A { get; set; }

        public OrderedSet<IPAddress>? Aaaa { get; set; }

        public OrderedSet<SrvValue>? Srv { get; set; }
    }

    /// <summary>An insertion-ordered set tuned for the common case of one to a few values.</summary>
    private sealed class OrderedSet<T>
        where T : notnull
    {
        private const int ScanLimit = 8;
        private readonly List<T> _items = new(2);
        private HashSet<T>? _index;

        public bool Add(T item)
        {
            if (_index is not null)
            {
                if (!_index.Add(item))
                {
                    return false;
                }
            }
            else
            {
                foreach (var existing in _items)
                {
                    if (existing.Equals(item))
                    {
                        return false;
                    }
                }

                if (_items.Count >= ScanLimit)
                {
                    _index = [.. _items, item];
                }
            }

            _items.Add(item);
            return true;
        }

        public ImmutableArray<T> ToImmutable() => [.. _items];
    }
}
