using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Minuet.DataPlane.Model;

/// <summary>
/// A persistent map for snapshots: immutable once built, and <see cref="With"/> returns a new
/// version that copies only the shards a change touches and shares the rest. With about 512 keys per shard a
/// one-task change to 600,000 DNS names copies a few small dictionaries instead of the whole table.
/// Readers need no lock (a shard is never written after it is published).
/// </summary>
internal sealed class ShardedMap<TKey, TValue> : IReadOnlyDictionary<TKey, TValue>
    where TKey : notnull
    where TValue : class
{
    // Big enough that the shard array of 700,000 names stays off the large object heap (copied on every change).
    private const int KeysPerShard = 512;

    private readonly Dictionary<TKey, TValue>[] _shards;
    private readonly IEqualityComparer<TKey> _comparer;
    private readonly int _shift;

    private ShardedMap(Dictionary<TKey, TValue>[] shards, IEqualityComparer<TKey> comparer, int shift, int count)
    {
        _shards = shards;
        _comparer = comparer;
        _shift = shift;
        Count = count;
    }

    public int Count { get; }

    public IEnumerable<TKey> Keys => this.Select(kv => kv.Key);

    public IEnumerable<TValue> Values => this.Select(kv => kv.Value);

    public TValue this[TKey key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key.ToString());

    /// <summary>Builds a map sized for <paramref name="expectedCount"/> keys (the shard count stays for every later version).</summary>
    public static ShardedMap<TKey, TValue> Create(IEnumerable<KeyValuePair<TKey, TValue>> items, int expectedCount, IEqualityComparer<TKey>? comparer = null)
    {
        comparer ??= EqualityComparer<TKey>.Default;
        int bits = 0;
        while ((1L << bits) * KeysPerShard < expectedCount && bits < 16)
        {
            bits++;
        }

        var shards = new Dictionary<TKey, TValue>[1 << bits];
        int perShard = (expectedCount >> bits) + 1;
        for (int i = 0; i < shards.Length; i++)
        {
            shards[i] = new Dictionary<TKey, TValue>(perShard + (perShard / 4), comparer);
        }

        int shift = 32 - bits;
        int count = 0;
        foreach (var (key, value) in items)
        {
            if (shards[ShardOf(comparer, key, shift)].TryAdd(key, value))
            {
                count++;
            }
            else
            {
                shards[ShardOf(comparer, key, shift)][key] = value;
            }
        }

        return new ShardedMap<TKey, TValue>(shards, comparer, shift, count);
    }

    /// <summary>A new version with <paramref name="changes"/> applied: a null value removes the key.</summary>
    public ShardedMap<TKey, TValue> With(IEnumerable<KeyValuePair<TKey, TValue?>> changes)
    {
        var shards = (Dictionary<TKey, TValue>[])_shards.Clone();
        var copied = new bool[shards.Length];
        int count = Count;
        foreach (var (key, value) in changes)
        {
            int s = ShardOf(_comparer, key, _shift);
            if (!copied[s])
            {
                shards[s] = new Dictionary<TKey, TValue>(shards[s], _comparer);
                copied[s] = true;
            }

            if (value is null)
            {
                count -= shards[s].Remove(key) ? 1 : 0;
            }
            else
            {
                count += shards[s].TryAdd(key, value) ? 1 : 0;
                shards[s][key] = value;
            }
        }

        return new ShardedMap<TKey, TValue>(shards, _comparer, _shift, count);
    }

    public bool ContainsKey(TKey key) => _shards[ShardOf(_comparer, key, _shift)].ContainsKey(key);

    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value) =>
        _shards[ShardOf(_comparer, key, _shift)].TryGetValue(key, out value);

    /// <summary>
    /// Looks a key up by another form of it (a name as <c>ReadOnlySpan&lt;char&gt;</c>) without making a key: the DNS
    /// query path. The comparer must support that form (<see cref="StringComparer.Ordinal"/> does for spans).
    /// </summary>
    public bool TryGetAlternate<TAlternate>(TAlternate key, [MaybeNullWhen(false)] out TValue value)
        where TAlternate : notnull, allows ref struct
    {
        var alternate = (IAlternateEqualityComparer<TAlternate, TKey>)_comparer;
        int s = _shift >= 32 ? 0 : (int)(((uint)alternate.GetHashCode(key) * 0x9E3779B9u) >> _shift);
        return _shards[s].GetAlternateLookup<TAlternate>().TryGetValue(key, out value);
    }

    public IEnumerator<KeyValuePair<TKey, TValue>> GetEnumerator()
    {
        foreach (var shard in _shards)
        {
            foreach (var pair in shard)
            {
                yield return pair;
            }
        }
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // Fibonacci hashing of the ordinal hash: the top bits pick the shard, so the shard's own buckets (which use the
    // hash modulo a prime) still see well-spread values.
    private static int ShardOf(IEqualityComparer<TKey> comparer, TKey key, int shift) =>
        shift >= 32 ? 0 : (int)(((uint)comparer.GetHashCode(key) * 0x9E3779B9u) >> shift);
}
