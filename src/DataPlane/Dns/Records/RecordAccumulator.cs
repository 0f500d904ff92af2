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
    private readonly Dictionary<string, NameEntry> _names;

    /// <summary>
    /// <paramref name="expectedNames"/> sizes the table once: at 10,000 tasks its arrays live on the large object
    /// heap, and every doubling would leave a dead LOH array behind that costs a full collection later.
    /// </summary>
    public RecordAccumulator(int expectedNames = 0)
    {
        _names = new Dictionary<string, NameEntry>(expectedNames, StringComparer.Ordinal);
    }

    /// <summary>When set, every newly added task record is also listed here (for <c>/v1/enumerate</c>).</summary>
    public List<EnumerableRecord>? EnumerationTarget { get; set; }

    public int Count => _names.Count;

    /// <summary>When set, records go to this list of contributions instead (the incremental path keeps them per task).</summary>
    public List<RecordContribution>? Sink { get; set; }

    public bool AddAddress(string name, IPAddress address, int ttl)
    {
        if (Sink is not null)
        {
            Sink.Add(new RecordContribution(name, address, ttl));
            return true;
        }

        var entry = Entry(name, ttl);
        bool v4 = address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork;
        bool added = v4 ? entry.A.Add(address) : entry.Aaaa.Add(address);
        if (added && EnumerationTarget is not null)
        {
            EnumerationTarget.Add(new EnumerableRecord(name + ".", address.ToString(), v4 ? "A" : "AAAA"));
        }

        return added;
    }

    public bool AddSrv(string name, SrvValue value, int ttl)
    {
        if (Sink is not null)
        {
            Sink.Add(new RecordContribution(name, value, ttl));
            return true;
        }

        bool added = Entry(name, ttl).Srv.Add(value);
        if (added && EnumerationTarget is not null)
        {
            EnumerationTarget.Add(new EnumerableRecord(
                name + ".", value.Target + ".:" + value.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "SRV"));
        }

        return added;
    }

    /// <summary>Every record added so far as contributions, name by name in insertion order (A, AAAA, then SRV).</summary>
    public void CopyTo(List<RecordContribution> destination)
    {
        foreach (var (name, entry) in _names)
        {
            foreach (var ip in entry.A.ToImmutable())
            {
                destination.Add(new RecordContribution(name, ip, entry.Ttl));
            }

            foreach (var ip in entry.Aaaa.ToImmutable())
            {
                destination.Add(new RecordContribution(name, ip, entry.Ttl));
            }

            foreach (var srv in entry.Srv.ToImmutable())
            {
                destination.Add(new RecordContribution(name, srv, entry.Ttl));
            }
        }
    }

    public FrozenDictionary<string, DnsNameRecords> Freeze()
    {
        var result = new Dictionary<string, DnsNameRecords>(_names.Count, StringComparer.Ordinal);
        foreach (var (name, entry) in _names)
        {
            result.Add(name, new DnsNameRecords
            {
                A = entry.A.ToImmutable(),
                Aaaa = entry.Aaaa.ToImmutable(),
                Srv = entry.Srv.ToImmutable(),
                Ttl = entry.Ttl,
            });
        }

        return result.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private NameEntry Entry(string name, int ttl)
    {
        ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_names, name, out _);
        return slot ??= new NameEntry(ttl);
    }

    // Mutable struct fields on purpose: one object per name instead of one per name and record type.
#pragma warning disable CA1051 // private nested type; fields so the structs mutate in place
    private sealed class NameEntry(int ttl)
    {
        public OrderedSet<IPAddress> A;
        public OrderedSet<IPAddress> Aaaa;
        public OrderedSet<SrvValue> Srv;

        public int Ttl { get; } = ttl;
    }
#pragma warning restore CA1051

    /// <summary>
    /// An insertion-ordered set tuned for the common case: most names (canonical task names) hold one value, so the
    /// first lives inline and a list appears only for the second; past a few values a hash set keeps adds O(1).
    /// </summary>
    private struct OrderedSet<T>
        where T : class
    {
        private const int ScanLimit = 8;
        private T? _first;
        private List<T>? _more;
        private HashSet<T>? _index;

        public bool Add(T item)
        {
            if (_first is null)
            {
                _first = item;
                return true;
            }

            if (_index is not null)
            {
                if (!_index.Add(item))
                {
                    return false;
                }
            }
            else
            {
                if (_first.Equals(item))
                {
                    return false;
                }

                if (_more is not null)
                {
                    foreach (var existing in _more)
                    {
                        if (existing.Equals(item))
                        {
                            return false;
                        }
                    }

                    if (_more.Count >= ScanLimit)
                    {
                        _index = [_first, .. _more, item];
                    }
                }
            }

            (_more ??= new List<T>(3)).Add(item);
            return true;
        }

        public readonly ImmutableArray<T> ToImmutable()
        {
            if (_more is null)
            {
                return _first is null ? [] : [_first];
            }

            var builder = ImmutableArray.CreateBuilder<T>(_more.Count + 1);
            builder.Add(_first!);
            builder.AddRange(_more);
            return builder.MoveToImmutable();
        }
    }
}
