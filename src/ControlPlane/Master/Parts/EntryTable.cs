using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Minuet.ControlPlane.Master.Parts;

/// <summary>
/// The records of one kind by id, owned by one part of the master. Everyone else reads them through
/// <see cref="IReadOnlyDictionary{TKey,TValue}"/>; the owner changes them only through <see cref="Put"/>,
/// <see cref="Remove"/> and <see cref="Clear"/>, each of which tells the published state view which record changed,
/// so no change can be left out of <c>/master/state</c>. Guarded by the master lock.
/// </summary>
internal abstract class EntryTable<T>(Action<string> changed) : IReadOnlyDictionary<string, T>
    where T : class
{
    private readonly Dictionary<string, T> _entries = new(StringComparer.Ordinal);

    public int Count => _entries.Count;

    public IEnumerable<string> Keys => _entries.Keys;

    public IEnumerable<T> Values => _entries.Values;

    public T this[string key] => _entries[key];

    public bool ContainsKey(string key) => _entries.ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out T value) => _entries.TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, T>> GetEnumerator() => _entries.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>The values in a list of their own, for loops that change the table.</summary>
    public List<T> Snapshot() => [.. _entries.Values];

    public void Put(string id, T entry)
    {
        _entries[id] = entry;
        changed(id);
    }

    public bool Remove(string id)
    {
        changed(id);
        return _entries.Remove(id);
    }

    /// <summary>Forgets everything (a new term): the caller republishes the whole view.</summary>
    public virtual void Clear() => _entries.Clear();
}
