using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Minuet.DataPlane.Model;

/// <summary>
/// A persistent string-keyed map for snapshots: immutable once built, and <see cref="With"/> returns a new
/// version that copies only the shards a change touches and shares the rest. With about 64 keys per shard a
/// one-task change to 600,000 DNS names copies a few small dictionaries instead of the whole table.
/// Readers need no lock (a shard is never written after it is published).
/// </summary>
internal sealed class ShardedMap<TValue> : IReadOnlyDictionary<string, TValue>
    where TValue : class
{
    private const int KeysPerShard = 64;

    private readonly Dictionary<string, TValue>[] _shards;
    private readonly int _shift;

    private ShardedMap(Dictionary<string, TValue>[] shards, int shift, int count)
    {
        _shards = shards;
        _shift = shift;
        Count = count;
    }

    public static ShardedMap<TValue> Empty { get; } = Create([], 0);

    public int Count { get; }

    public IEnumerable<string> Keys => this.Select(kv => kv.Key);

    public IEnumerable<TValue> Values => this.Select(kv => kv.Value);

    public TValue this[string key] => TryGetValue(key, out var value) ? value : throw new KeyNotFoundException(key);

    /// <summary>Builds a map sized for <paramref name="expectedCount"/> keys (the shard count stays for every later version).</summary>
    public static ShardedMap<TValue> Create(IEnumerable<KeyValuePair<string, TValue>> items, int expectedCount)
    {
        int bits = 0;
        while ((1L << bits) * KeysPerShard < expectedCount && bits < 16)
        {
            bits++;
        }

        var shards = new Dictionary<string, TValue>[1 << bits];
        int perShard = (expectedCount >> bits) + 1;
        for (int i = 0; i < shards.Length; i++)
        {
            shards[i] = new Dictionary<string, TValue>(perShard + (perShard / 4), StringComparer.Ordinal);
        }

        int shift = 32 - bits;
        int count = 0;
        foreach (var (key, value) in items)
        {
            if (shards[ShardOf(key, shift)].TryAdd(key, value))
            {
                count++;
            }
            else
            {
                shards[ShardOf(key, shift)][key] = value;
            }
        }

        return new ShardedMap<TValue>(shards, shift, count);
    }

    /// <summary>A new version with <paramref name="changes"/> applied: a null value removes the key.</summary>
    public ShardedMap<TValue> With(IEnumerable<KeyValuePair<string, TValue?>> changes)
    {
        var shards = (Dictionary<string, TValue>[])_shards.Clone();
        var copied = new bool[shards.Length];
        int count = Count;
        foreach (var (key, value) in changes)
        {
            int s = ShardOf(key, _shift);
            if (!copied[s])
            {
                shards[s] = new Dictionary<string, TValue>(shards[s], StringComparer.Ordinal);
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

        return new ShardedMap<TValue>(shards, _shift, count);
    }

    public bool ContainsKey(string key) => _shards[ShardOf(key, _shift)].ContainsKey(key);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out TValue value) =>
        _shards[ShardOf(key, _shift)].TryGetValue(key, out value);

    public IEnumerator<KeyValuePair<string, TValue>> GetEnumerator()
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
    private static int ShardOf(string key, int shift) =>
        shift >= 32 ? 0 : (int)(((uint)StringComparer.Ordinal.GetHashCode(key) * 0x9E3779B9u) >> shift);
}
