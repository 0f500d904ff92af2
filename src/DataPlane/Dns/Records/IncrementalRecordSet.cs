using System.Net;
using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.Dns.Records;

/// <summary>
/// Keeps the <see cref="DnsRecordSet"/> of a cluster up to date task by task. Every name holds the records each
/// source added to it (the agents and masters first, then tasks by framework order and task id, then named
/// VIPs), so a task change removes that task's contributions, adds its new ones and re-merges only the names it
/// touches; the published map shares every other shard with the previous one. The merged order and values equal
/// what <see cref="DnsRecordBuilder.Build"/> gives for the same state with each framework's tasks ordered by id.
/// Not thread-safe: one writer (the snapshot pipeline).
/// </summary>
internal sealed class IncrementalRecordSet(DnsRecordBuilder builder)
{
    private const int StaticGroup = 0;
    private const int TaskGroup = 1;
    private const int VipGroup = 2;

    // Most names (a task's own) have one contribution: it lives inline, so 600,000 names at 100,000 tasks do not each
    // hold a list and an array (about 45 MB).
    private readonly Dictionary<string, Contributions> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<(string FrameworkId, string TaskId), string[]> _taskNames = [];
    private readonly List<RecordContribution> _buffer = [];
    private readonly List<string> _touchedNames = [];
    private readonly object _scratch = builder.NewTaskScratch();
    private Dictionary<string, IReadOnlyList<IPAddress>> _agentIps = new(StringComparer.Ordinal);
    private Dictionary<string, (int Index, string Fragment)> _frameworks = new(StringComparer.Ordinal);
    private IReadOnlyList<NamedVipAddress> _vips = [];
    private string[] _vipNames = [];
    private ShardedMap<string, DnsNameRecords> _map = ShardedMap<string, DnsNameRecords>.Create([], 0, StringComparer.Ordinal);

    /// <summary>The last record set built or updated; null before the first <see cref="Rebuild"/>.</summary>
    public DnsRecordSet? Current { get; private set; }

    /// <summary>Forgets everything, so the next change must be a <see cref="Rebuild"/>.</summary>
    public void Reset() => Current = null;

    /// <summary>Builds every record of <paramref name="state"/> from scratch.</summary>
    public DnsRecordSet Rebuild(ClusterState state, IReadOnlyList<NamedVipAddress> vips, uint serial)
    {
        ArgumentNullException.ThrowIfNull(state);
        _names.Clear();
        _taskNames.Clear();
        _buffer.Clear();
        // The per-app caches would otherwise keep every app name ever seen: a rebuild starts them afresh.
        DnsRecordBuilder.ClearTaskScratch(_scratch);
        _agentIps = builder.StaticContributions(state, _buffer);
        AddAll(new ContributionKey(StaticGroup, 0, string.Empty), _buffer, append: true);

        _frameworks = new Dictionary<string, (int, string)>(state.Frameworks.Count, StringComparer.Ordinal);
        var ordered = new List<TaskInfo>();
        for (int f = 0; f < state.Frameworks.Count; f++)
        {
            var framework = state.Frameworks[f];
            string fragment = builder.FrameworkFragment(framework.Name);
            _frameworks.TryAdd(framework.Id, (f, fragment));
            ordered.Clear();
            ordered.AddRange(framework.Tasks);
            if (!IsSortedById(ordered))
            {
                ordered.Sort(static (a, b) => string.CompareOrdinal(a.Id, b.Id));
            }

            foreach (var task in ordered)
            {
                AddTask(framework.Id, f, fragment, task, append: true);
            }
        }

        _vips = vips;
        _vipNames = AddVips(vips, append: true);

        // Streamed into the map: a list of 700,000 pairs first would be an 11 MB large-object array per rebuild.
        _map = ShardedMap<string, DnsNameRecords>.Create(MergedNames(), _names.Count, StringComparer.Ordinal);
        Current = new DnsRecordSet(builder.Zone(serial), _map);
        return Current;
    }

    private IEnumerable<KeyValuePair<string, DnsNameRecords>> MergedNames()
    {
        foreach (var (name, items) in _names)
        {
            yield return new(name, Merge(items));
        }
    }

    /// <summary>
    /// Applies task changes and the current named VIPs. Returns null when the changes cannot be applied on their own
    /// (nothing built yet, or a task of a framework the last build did not know): the caller rebuilds.
    /// </summary>
    public RecordDelta? Apply(IReadOnlyList<TaskChange> changes, IReadOnlyList<NamedVipAddress> vips, uint serial)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var previous = Current;
        if (previous is null)
        {
            return null;
        }

        foreach (var change in changes)
        {
            if (!_frameworks.ContainsKey(change.FrameworkId))
            {
                return null;
            }
        }

        var touched = new HashSet<string>(StringComparer.Ordinal);
        foreach (var change in changes)
        {
            var (index, fragment) = _frameworks[change.FrameworkId];
            RemoveTask(change.FrameworkId, index, change.TaskId, touched);
            if (change.Task is { } task)
            {
                touched.UnionWith(AddTask(change.FrameworkId, index, fragment, task, append: false));
            }
        }

        if (!SameVips(vips, _vips))
        {
            foreach (string name in _vipNames)
            {
                RemoveKey(name, new ContributionKey(VipGroup, 0, string.Empty));
                touched.Add(name);
            }

            _vips = vips;
            _vipNames = AddVips(vips, append: false);
            touched.UnionWith(_vipNames);
        }

        var updates = new List<KeyValuePair<string, DnsNameRecords?>>(touched.Count);
        foreach (string name in touched)
        {
            DnsNameRecords? records = _names.TryGetValue(name, out var items) ? Merge(items) : null;
            previous.Names.TryGetValue(name, out var before);
            if (!SameRecords(before, records))
            {
                updates.Add(new(name, records));
            }
        }

        _map = _map.With(updates);
        Current = new DnsRecordSet(builder.Zone(serial), _map);
        return new RecordDelta(previous, Current, [.. updates.Select(u => u.Key)]);
    }

    private string[] AddTask(string frameworkId, int frameworkIndex, string fragment, TaskInfo task, bool append)
    {
        _buffer.Clear();
        builder.TaskContributions(task, fragment, _agentIps, _scratch, _buffer);
        if (_buffer.Count == 0)
        {
            return [];
        }

        string[] names = AddAll(new ContributionKey(TaskGroup, frameworkIndex, task.Id), _buffer, append);
        _taskNames[(frameworkId, task.Id)] = names;
        return names;
    }

    private void RemoveTask(string frameworkId, int frameworkIndex, string taskId, HashSet<string> touched)
    {
        if (!_taskNames.Remove((frameworkId, taskId), out var names))
        {
            return;
        }

        var key = new ContributionKey(TaskGroup, frameworkIndex, taskId);
        foreach (string name in names)
        {
            RemoveKey(name, key);
            touched.Add(name);
        }
    }

    private string[] AddVips(IReadOnlyList<NamedVipAddress> vips, bool append)
    {
        _buffer.Clear();
        builder.VipContributions(vips, _buffer);
        return AddAll(new ContributionKey(VipGroup, 0, string.Empty), _buffer, append);
    }

    /// <summary>Adds one source's contributions under <paramref name="key"/>; returns the distinct names touched.</summary>
    private string[] AddAll(ContributionKey key, List<RecordContribution> contributions, bool append)
    {
        var names = _touchedNames;
        names.Clear();
        // A task touches about ten names: a scan beats a hash set; the agents' or VIPs' hundreds do not.
        var seen = contributions.Count > 32 ? new HashSet<string>(StringComparer.Ordinal) : null;
        string? last = null;
        int at = -1;
        ref Contributions items = ref System.Runtime.CompilerServices.Unsafe.NullRef<Contributions>();
        foreach (var c in contributions)
        {
            if (!ReferenceEquals(c.Name, last) && c.Name != last)
            {
                ref var slot = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(_names, c.Name, out _);
                items = ref slot;
                // A source's records for one name stay together, after every smaller key and before every larger one.
                at = append ? items.Count : UpperBound(items, key);
                if (seen is not null ? seen.Add(c.Name) : !names.Contains(c.Name))
                {
                    names.Add(c.Name);
                }

                last = c.Name;
            }
            else if (append)
            {
                at = items.Count;
            }

            items.Insert(at++, new Keyed(key, c.Value, c.Ttl));
        }

        return [.. names];
    }

    private void RemoveKey(string name, ContributionKey key)
    {
        ref var items = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrNullRef(_names, name);
        if (System.Runtime.CompilerServices.Unsafe.IsNullRef(ref items))
        {
            return;
        }

        int end = UpperBound(items, key);
        int start = end;
        while (start > 0 && items[start - 1].Key.CompareTo(key) == 0)
        {
            start--;
        }

        items.RemoveRange(start, end - start);
        if (items.Count == 0)
        {
            _names.Remove(name);
        }
    }

    private static int UpperBound(in Contributions items, ContributionKey key)
    {
        int lo = 0, hi = items.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (items[mid].Key.CompareTo(key) <= 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid;
            }
        }

        return lo;
    }

    /// <summary>The name's records as <see cref="RecordAccumulator"/> would hold them: first occurrence wins, per type.</summary>
    private static DnsNameRecords Merge(in Contributions items)
    {
        if (items.Count == 1)
        {
            // Most names (a task's own names) hold one record: no lists, no dedup.
            var only = items[0];
            return only.Value switch
            {
                SrvValue value => new DnsNameRecords { Srv = [value], Ttl = only.Ttl },
                IPAddress ip when ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork => new DnsNameRecords { A = [ip], Ttl = only.Ttl },
                IPAddress ip => new DnsNameRecords { Aaaa = [ip], Ttl = only.Ttl },
                _ => new DnsNameRecords { Ttl = only.Ttl },
            };
        }

        // Shared names (an app's t.f.D, its SRV names) hold a few values: count per type, fill exact arrays, and
        // shrink only when a duplicate was dropped. No lists, no copies.
        int countA = 0, countAaaa = 0, countSrv = 0;
        for (int i = 0; i < items.Count; i++)
        {
            switch (items[i].Value)
            {
                case SrvValue:
                    countSrv++;
                    break;
                case IPAddress ip when ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork:
                    countA++;
                    break;
                case IPAddress:
                    countAaaa++;
                    break;
            }
        }

        var a = countA == 0 ? Array.Empty<IPAddress>() : new IPAddress[countA];
        var aaaa = countAaaa == 0 ? Array.Empty<IPAddress>() : new IPAddress[countAaaa];
        var srv = countSrv == 0 ? Array.Empty<SrvValue>() : new SrvValue[countSrv];
        int na = 0, naaaa = 0, nsrv = 0;
        HashSet<object>? seen = items.Count > 8 ? new HashSet<object>(items.Count) : null;
        for (int i = 0; i < items.Count; i++)
        {
            object value = items[i].Value;
            switch (value)
            {
                case SrvValue srvValue:
                    if (seen is not null ? seen.Add(value) : Array.IndexOf(srv, srvValue, 0, nsrv) < 0)
                    {
                        srv[nsrv++] = srvValue;
                    }

                    break;
                case IPAddress ip when ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork:
                    if (seen is not null ? seen.Add(value) : Array.IndexOf(a, ip, 0, na) < 0)
                    {
                        a[na++] = ip;
                    }

                    break;
                case IPAddress ip:
                    if (seen is not null ? seen.Add(value) : Array.IndexOf(aaaa, ip, 0, naaaa) < 0)
                    {
                        aaaa[naaaa++] = ip;
                    }

                    break;
            }
        }

        return new DnsNameRecords { A = Exact(a, na), Aaaa = Exact(aaaa, naaaa), Srv = Exact(srv, nsrv), Ttl = items[0].Ttl };
    }

    private static System.Collections.Immutable.ImmutableArray<T> Exact<T>(T[] values, int count)
    {
        if (count < values.Length)
        {
            Array.Resize(ref values, count);
        }

        return System.Runtime.InteropServices.ImmutableCollectionsMarshal.AsImmutableArray(values);
    }

    private static bool SameRecords(DnsNameRecords? x, DnsNameRecords? y) =>
        x is null || y is null
            ? x is null && y is null
            : x.Ttl == y.Ttl && x.A.SequenceEqual(y.A) && x.Aaaa.SequenceEqual(y.Aaaa) && x.Srv.SequenceEqual(y.Srv);

    private static bool SameVips(IReadOnlyList<NamedVipAddress> x, IReadOnlyList<NamedVipAddress> y) =>
        ReferenceEquals(x, y) || x.SequenceEqual(y);

    private static bool IsSortedById(List<TaskInfo> tasks)
    {
        for (int i = 1; i < tasks.Count; i++)
        {
            if (string.CompareOrdinal(tasks[i - 1].Id, tasks[i].Id) > 0)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Orders contributions: static records, then tasks by framework and id, then VIP names.</summary>
    private readonly record struct ContributionKey(int Group, int Framework, string TaskId) : IComparable<ContributionKey>
    {
        public int CompareTo(ContributionKey other)
        {
            int c = Group.CompareTo(other.Group);
            if (c == 0)
            {
                c = Framework.CompareTo(other.Framework);
            }

            return c != 0 ? c : string.CompareOrdinal(TaskId, other.TaskId);
        }
    }

    private readonly record struct Keyed(ContributionKey Key, object Value, int Ttl);

    /// <summary>The contributions to one name in key order: the first inline, the rest (rare) in a list.</summary>
    private struct Contributions
    {
        private Keyed _first;
        private List<Keyed>? _rest;

        public readonly int Count => _first.Value is null ? 0 : 1 + (_rest?.Count ?? 0);

        public readonly Keyed this[int index] => index == 0 ? _first : _rest![index - 1];

        public void Insert(int index, Keyed item)
        {
            if (_first.Value is null)
            {
                _first = item;
            }
            else if (index == 0)
            {
                (_rest ??= new List<Keyed>(1)).Insert(0, _first);
                _first = item;
            }
            else
            {
                (_rest ??= new List<Keyed>(1)).Insert(index - 1, item);
            }
        }

        public void RemoveRange(int index, int count)
        {
            if (count == 0)
            {
                return;
            }

            if (index > 0)
            {
                _rest!.RemoveRange(index - 1, count);
            }
            else if (count == Count)
            {
                _first = default;
                _rest = null;
            }
            else
            {
                // The item after the removed ones becomes the first; it and the removed ones leave the list.
                _first = _rest![count - 1];
                _rest.RemoveRange(0, count);
            }

            if (_rest is { Count: 0 })
            {
                _rest = null;
            }
        }
    }
}

/// <summary>The names whose records differ between two record sets (removed names included).</summary>
public sealed record RecordDelta(DnsRecordSet Previous, DnsRecordSet Current, IReadOnlyList<string> ChangedNames);
