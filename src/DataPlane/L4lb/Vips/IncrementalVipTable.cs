using System.Collections.Immutable;
using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.L4lb.Vips;

/// <summary>
/// Keeps the <see cref="VipTable"/> up to date task by task: each task's VIP entries are kept, and a task change
/// re-merges only the VIPs those entries name (backends deduplicated and ordered as <see cref="VipTableBuilder"/>
/// does, with each framework's tasks taken in id order). A change that moves named-VIP addresses (a new colliding
/// name, a full range) reassembles the whole table the full builder's way, so addresses never differ between the
/// two paths. Not thread-safe: one writer.
/// </summary>
internal sealed class IncrementalVipTable(VipTableBuilder builder)
{
    private readonly Dictionary<TaskKey, TaskVips> _tasks = [];
    private readonly Dictionary<IpPort, List<Contribution>> _vips = [];
    // Every claim on each name, counted (a task may carry a name twice): the oldest is the name's seniority.
    private readonly Dictionary<string, SortedDictionary<NamedVipClaim, int>> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<uint, int> _reserved = [];
    // Each name's oldest claim, in allocation order, and the oldest-claim moves of the batch being applied: a move
    // that passes no other name's claim keeps the order, so the allocation (a pure function of it) stays as it was.
    private readonly SortedSet<NamedVipClaim> _order = [];
    private readonly List<(NamedVipClaim Before, NamedVipClaim After)> _seniority = [];
    private readonly Dictionary<IpPort, int> _endpoints = [];
    private readonly SortedDictionary<TaskKey, InvalidVipLabel[]> _invalid = [];
    private Dictionary<string, uint?> _agents = new(StringComparer.Ordinal);
    private Dictionary<string, (int Index, string Name, string Label)> _frameworks = new(StringComparer.Ordinal);
    private NamedVipAllocation _allocation = new(new Dictionary<string, uint>(), []);
    // Reused per task: most tasks give one entry and no invalid label, so a build allocates only the kept arrays.
    private readonly List<VipTableBuilder.Entry> _entryScratch = [];
    private readonly List<InvalidVipLabel> _invalidScratch = [];

    /// <summary>The current table; null before the first <see cref="Rebuild"/>.</summary>
    public VipTable? Current { get; private set; }

    public void Reset() => Current = null;

    /// <summary>Builds the table of <paramref name="state"/> from scratch.</summary>
    public VipTable Rebuild(ClusterState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        _tasks.Clear();
        _agents = new Dictionary<string, uint?>(state.Agents.Count, StringComparer.Ordinal);
        foreach (var agent in state.Agents)
        {
            _agents[agent.Id] = TaskAddresses.AgentAddress(agent);
        }

        _frameworks = new Dictionary<string, (int, string, string)>(state.Frameworks.Count, StringComparer.Ordinal);
        for (int f = 0; f < state.Frameworks.Count; f++)
        {
            var framework = state.Frameworks[f];
            _frameworks.TryAdd(framework.Id, (f, framework.Name, DnsLabel.Mangle(framework.Name)));
            foreach (var task in framework.Tasks)
            {
                if (EntriesOf(framework.Id, task) is { } vips)
                {
                    _tasks[new TaskKey(f, task.Id)] = vips;
                }
            }
        }

        return Reassemble();
    }

    /// <summary>
    /// Applies task changes. Returns null when they cannot be applied on their own (nothing built yet, a framework
    /// the last build did not know): the caller rebuilds.
    /// </summary>
    public VipTableDelta? Apply(IReadOnlyList<TaskChange> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var previous = Current;
        if (previous is null || changes.Any(c => !_frameworks.ContainsKey(c.FrameworkId)))
        {
            return null;
        }

        var touched = new HashSet<IpPort>();
        var added = new Dictionary<TaskKey, TaskVips>();
        bool namesMoved = false;
        bool invalidChanged = false;
        _seniority.Clear();
        foreach (var change in changes)
        {
            var key = new TaskKey(_frameworks[change.FrameworkId].Index, change.TaskId);
            // A task changed twice in one batch: its first version's entries are not merged yet, so just drop them.
            bool pending = added.Remove(key);
            if (_tasks.Remove(key, out var old))
            {
                namesMoved |= Count(old, -1);
                invalidChanged |= old.Invalid.Length > 0;
                foreach (var entry in pending ? [] : old.Entries)
                {
                    if (VipOf(entry) is { } vip && _vips.TryGetValue(vip, out var list))
                    {
                        list.RemoveAll(c => c.Key.Equals(key));
                        touched.Add(vip);
                    }
                }
            }

            if (change.Task is { } task && EntriesOf(change.FrameworkId, task) is { } vips)
            {
                _tasks[key] = vips;
                namesMoved |= Count(vips, +1);
                invalidChanged |= vips.Invalid.Length > 0;
                added[key] = vips;
            }
        }

        // While some name finds no free address, its entries are skipped labels in entry order: the full path keeps that.
        var rebuilt = _allocation.Unplaced.Count > 0;
        bool seniorityMoved = _seniority.Count > 0;
        if (namesMoved || (seniorityMoved && !SameOrder()))
        {
            var allocation = builder.Allocator.Allocate(_order, _reserved.Keys.ToHashSet());
            rebuilt |= allocation.Unplaced.Count > 0
                || _allocation.Addresses.Any(kv => allocation.Addresses.TryGetValue(kv.Key, out uint now) && now != kv.Value);
            _allocation = allocation;
        }

        if (rebuilt)
        {
            var table = Reassemble();
            return new VipTableDelta(previous, table, null);
        }

        foreach (var (key, vips) in added)
        {
            foreach (var entry in vips.Entries)
            {
                var vip = VipOf(entry)!.Value;
                if (!_vips.TryGetValue(vip, out var list))
                {
                    _vips[vip] = list = [];
                }

                int at = UpperBound(list, key);
                list.Insert(at, new Contribution(key, entry));
                touched.Add(vip);
            }

            if (vips.Invalid.Length > 0)
            {
                _invalid[key] = vips.Invalid;
            }
        }

        foreach (var change in changes)
        {
            var key = new TaskKey(_frameworks[change.FrameworkId].Index, change.TaskId);
            if (!_tasks.TryGetValue(key, out var now) || now.Invalid.Length == 0)
            {
                _invalid.Remove(key);
            }
        }

        var definitions = previous.Vips.ToBuilder();
        var changed = new List<IpPort>();
        foreach (var vip in touched.Order())
        {
            var definition = Define(vip);
            int at = SortedVips.IndexOf(definitions, vip);
            var before = at >= 0 ? definitions[at] : null;
            if (before is not null && definition is not null && before.Name == definition.Name && before.Backends.SequenceEqual(definition.Backends))
            {
                continue;
            }

            CountEndpoints(before, -1);
            CountEndpoints(definition, +1);
            changed.Add(vip);
            if (definition is null)
            {
                if (at >= 0)
                {
                    definitions.RemoveAt(at);
                }

                _vips.Remove(vip);
            }
            else if (at >= 0)
            {
                definitions[at] = definition;
            }
            else
            {
                definitions.Insert(~at, definition);
            }
        }

        var named = namesMoved || seniorityMoved ? NamedVips() : previous.NamedVips;
        var invalid = invalidChanged ? [.. _invalid.Values.SelectMany(i => i)] : previous.InvalidLabels;
        definitions.Capacity = definitions.Count;
        Current = new VipTable(definitions.MoveToImmutable(), named, invalid);
        return new VipTableDelta(previous, Current, changed);
    }

    private TaskVips? EntriesOf(string frameworkId, TaskInfo task)
    {
        var (_, name, label) = _frameworks[frameworkId];
        var entries = _entryScratch;
        var invalid = _invalidScratch;
        entries.Clear();
        invalid.Clear();
        VipTableBuilder.TaskEntries(task, name, label, _agents.GetValueOrDefault(task.AgentId), entries, invalid);
        return entries.Count == 0 && invalid.Count == 0 ? null : new TaskVips([.. entries], [.. invalid]);
    }

    /// <summary>
    /// Counts the task's names and IP VIP addresses in or out; true when the set of either changed. A name's oldest
    /// claim that moves (seniority decides collisions) is listed in <see cref="_seniority"/> instead.
    /// </summary>
    private bool Count(TaskVips vips, int delta)
    {
        bool moved = false;
        foreach (var entry in vips.Entries)
        {
            moved |= entry.NameKey is { } name ? BumpClaim(name, new NamedVipClaim(name, entry.Since, entry.Backend.TaskId), delta) : Bump(_reserved, entry.Target.Address, delta);
        }

        return moved;
    }

    private bool BumpClaim(string name, NamedVipClaim claim, int delta)
    {
        if (!_names.TryGetValue(name, out var claims))
        {
            _names[name] = claims = [];
        }

        var oldest = claims.Count > 0 ? claims.First().Key : (NamedVipClaim?)null;
        Bump(claims, claim, delta);
        if (claims.Count == 0)
        {
            _names.Remove(name);
            if (oldest is { } gone)
            {
                _order.Remove(gone);
            }

            return true;
        }

        var now = claims.First().Key;
        if (oldest is not { } before)
        {
            _order.Add(now);
            return true;
        }

        if (!before.Equals(now))
        {
            _order.Remove(before);
            _order.Add(now);
            _seniority.Add((before, now));
        }

        return false;
    }

    /// <summary>
    /// True when the batch's oldest-claim moves leave the names in the same allocation order: one name moved (its
    /// first before, its last after) and no other name's claim lies between. Several names moving could cross
    /// each other unseen by per-name checks, so they take the full allocation.
    /// </summary>
    private bool SameOrder()
    {
        string name = _seniority[0].Before.Name;
        foreach (var (before, after) in _seniority)
        {
            if (!string.Equals(before.Name, name, StringComparison.Ordinal) || !string.Equals(after.Name, name, StringComparison.Ordinal))
            {
                return false;
            }
        }

        var first = _seniority[0].Before;
        var last = _seniority[^1].After;
        int c = first.CompareTo(last);
        if (c == 0)
        {
            return true;
        }

        // The name's own (current) claim is one end of the range; any other claim in it changes the order.
        return _order.GetViewBetween(c < 0 ? first : last, c < 0 ? last : first).Count == 1;
    }

    private static bool Bump<TKey>(IDictionary<TKey, int> counts, TKey key, int delta)
        where TKey : notnull
    {
        counts.TryGetValue(key, out int count);
        count += delta;
        if (count <= 0)
        {
            counts.Remove(key);
            return true;
        }

        counts[key] = count;
        return count == delta;
    }

    private void CountEndpoints(VipDefinition? definition, int delta)
    {
        if (definition is null)
        {
            return;
        }

        foreach (var backend in definition.Backends)
        {
            Bump(_endpoints, backend.Endpoint, delta);
        }
    }

    /// <summary>Whether any VIP still lists <paramref name="endpoint"/> (the registry keeps its state only while one does).</summary>
    public bool IsListed(IpPort endpoint) => _endpoints.ContainsKey(endpoint);

    private IpPort? VipOf(VipTableBuilder.Entry entry)
    {
        if (entry.NameKey is not { } name)
        {
            return new IpPort(entry.Target.Address, entry.Target.Port, entry.Backend.Endpoint.Protocol);
        }

        // A VIP speaks its backends' protocol, as in the full builder.
        return _allocation.Addresses.TryGetValue(name, out uint address) ? new IpPort(address, entry.Target.Port, entry.Backend.Endpoint.Protocol) : null;
    }

    /// <summary>One VIP as <see cref="VipTableBuilder"/> assembles it: first entry names it, best weight per endpoint, by endpoint.</summary>
    private VipDefinition? Define(IpPort vip)
    {
        if (!_vips.TryGetValue(vip, out var list) || list.Count == 0)
        {
            return null;
        }

        var backends = new Dictionary<IpPort, VipBackend>();
        foreach (var c in list)
        {
            if (!backends.TryGetValue(c.Backend.Endpoint, out var existing) || existing.Weight < c.Backend.Weight)
            {
                backends[c.Backend.Endpoint] = c.Backend;
            }
        }

        return new VipDefinition(vip, list[0].NameKey, [.. backends.Values.OrderBy(b => b.Endpoint)]);
    }

    /// <summary>
    /// Each placed name with the label of its first entry in task order, by name. Read from the VIPs' contribution
    /// lists (each in task order, one name per VIP address), so a change that moves a name's oldest claim costs
    /// O(VIPs), not a sort of every task.
    /// </summary>
    private ImmutableArray<NamedVipAddress> NamedVips()
    {
        var first = new Dictionary<string, VipTableBuilder.Entry>(_names.Count, StringComparer.Ordinal);
        var firstKey = new Dictionary<string, TaskKey>(_names.Count, StringComparer.Ordinal);
        foreach (var list in _vips.Values)
        {
            foreach (var c in list)
            {
                if (c.NameKey is not { } name || !_allocation.Addresses.ContainsKey(name))
                {
                    continue;
                }

                ref var key = ref System.Runtime.InteropServices.CollectionsMarshal.GetValueRefOrAddDefault(firstKey, name, out bool exists);
                if (!exists || c.Key.CompareTo(key) < 0)
                {
                    key = c.Key;
                    first[name] = c.Entry;
                }

                // The list is in task order: its first named contribution is its oldest.
                break;
            }
        }

        var named = new NamedVipAddress[first.Count];
        int i = 0;
        foreach (var (name, entry) in first)
        {
            named[i++] = new NamedVipAddress(entry.Target.Label!, entry.FrameworkLabel, IpPort.FromHostOrder(_allocation.Addresses[name]));
        }

        Array.Sort([.. first.Keys], named, StringComparer.Ordinal);
        return ImmutableArray.Create(named);
    }

    /// <summary>The whole table from the kept entries, the full builder's way; resets every index.</summary>
    private VipTable Reassemble()
    {
        var ordered = new KeyValuePair<TaskKey, TaskVips>[_tasks.Count];
        ((ICollection<KeyValuePair<TaskKey, TaskVips>>)_tasks).CopyTo(ordered, 0);
        Array.Sort(ordered, static (x, y) => x.Key.CompareTo(y.Key));
        _names.Clear();
        _order.Clear();
        _reserved.Clear();
        _vips.Clear();
        _endpoints.Clear();
        _invalid.Clear();
        foreach (var (key, vips) in ordered)
        {
            Count(vips, +1);
            if (vips.Invalid.Length > 0)
            {
                _invalid[key] = vips.Invalid;
            }
        }

        _allocation = builder.Allocator.Allocate(_order, _reserved.Keys.ToHashSet());
        int entryCount = 0;
        foreach (var (_, vips) in ordered)
        {
            entryCount += vips.Entries.Length;
        }

        var allEntries = new List<VipTableBuilder.Entry>(entryCount);
        var allInvalid = new List<InvalidVipLabel>();
        foreach (var (_, vips) in ordered)
        {
            allEntries.AddRange(vips.Entries);
            allInvalid.AddRange(vips.Invalid);
        }

        // The claims counted above give the same allocation the full builder computes from these entries: reuse it.
        var table = builder.Assemble(allEntries, allInvalid, _allocation);
        foreach (var (key, vips) in ordered)
        {
            foreach (var entry in vips.Entries)
            {
                if (VipOf(entry) is { } vip)
                {
                    if (!_vips.TryGetValue(vip, out var list))
                    {
                        _vips[vip] = list = [];
                    }

                    list.Add(new Contribution(key, entry));
                }
            }
        }

        foreach (var definition in table.Vips)
        {
            CountEndpoints(definition, +1);
        }

        Current = table;
        return table;
    }

    private static int UpperBound(List<Contribution> list, TaskKey key)
    {
        int lo = 0, hi = list.Count;
        while (lo < hi)
        {
            int mid = (lo + hi) >>> 1;
            if (list[mid].Key.CompareTo(key) <= 0)
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

    private readonly record struct TaskKey(int Framework, string TaskId) : IComparable<TaskKey>
    {
        public int CompareTo(TaskKey other)
        {
            int c = Framework.CompareTo(other.Framework);
            return c != 0 ? c : string.CompareOrdinal(TaskId, other.TaskId);
        }
    }

    private readonly record struct Contribution(TaskKey Key, VipTableBuilder.Entry Entry)
    {
        public string? NameKey => Entry.NameKey;

        public VipBackend Backend => Entry.Backend;
    }

    private sealed record TaskVips(VipTableBuilder.Entry[] Entries, InvalidVipLabel[] Invalid);
}

/// <summary>
/// A VIP table update: the VIPs whose definition changed (added, changed or gone), or null when the whole table
/// was reassembled (named-VIP addresses moved) and every route must be rebuilt.
/// </summary>
internal sealed record VipTableDelta(VipTable Previous, VipTable Current, IReadOnlyList<IpPort>? ChangedVips);
