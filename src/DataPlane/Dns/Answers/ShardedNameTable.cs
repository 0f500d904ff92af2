using Minuet.DataPlane.Dns.Codec;

namespace Minuet.DataPlane.Dns.Answers;

/// <summary>
/// The responder's name table split into shards of about <see cref="NamesPerShard"/> names, each an immutable
/// <see cref="DnsNameTable{T}"/>: a lookup picks the shard from the top bits of the name's hash, and
/// <see cref="With"/> rebuilds only the shards a change touches, so one task change at 100,000 tasks copies a few
/// kilobytes instead of a table of a million slots. Lookups stay allocation-free and lock-free.
/// </summary>
internal sealed class ShardedNameTable<T> : INameTable<T>
    where T : class
{
    private const int NamesPerShard = 256;

    private readonly DnsNameTable<T>[] _shards;
    private readonly int _shift;

    private ShardedNameTable(DnsNameTable<T>[] shards, int shift, int count)
    {
        _shards = shards;
        _shift = shift;
        Count = count;
    }

    public int Count { get; }

    /// <param name="items">Names in wire form, already lower-case, with their values.</param>
    public static ShardedNameTable<T> Create(IReadOnlyCollection<KeyValuePair<byte[], T>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        int bits = 0;
        while ((1L << bits) * NamesPerShard < items.Count && bits < 16)
        {
            bits++;
        }

        int shift = 32 - bits;
        var buckets = new List<KeyValuePair<byte[], T>>[1 << bits];
        for (int i = 0; i < buckets.Length; i++)
        {
            buckets[i] = new List<KeyValuePair<byte[], T>>((items.Count >> bits) + 8);
        }

        foreach (var item in items)
        {
            buckets[ShardOf(DnsName.HashLower(item.Key), shift)].Add(item);
        }

        var shards = new DnsNameTable<T>[buckets.Length];
        for (int i = 0; i < shards.Length; i++)
        {
            shards[i] = new DnsNameTable<T>(buckets[i]);
        }

        return new ShardedNameTable<T>(shards, shift, items.Count);
    }

    /// <summary>A new table with <paramref name="changes"/> applied (a null value removes the name); shares untouched shards.</summary>
    public ShardedNameTable<T> With(IReadOnlyCollection<KeyValuePair<byte[], T?>> changes)
    {
        ArgumentNullException.ThrowIfNull(changes);
        var byShard = new Dictionary<int, List<KeyValuePair<byte[], T?>>>();
        foreach (var change in changes)
        {
            int s = ShardOf(DnsName.HashLower(change.Key), _shift);
            if (!byShard.TryGetValue(s, out var list))
            {
                byShard[s] = list = [];
            }

            list.Add(change);
        }

        var shards = (DnsNameTable<T>[])_shards.Clone();
        int count = Count;
        foreach (var (s, list) in byShard)
        {
            var items = new Dictionary<byte[], T>(WireNameComparer.Instance);
            foreach (var (key, value) in _shards[s].Items())
            {
                items[key] = value;
            }

            count -= items.Count;
            foreach (var (key, value) in list)
            {
                if (value is null)
                {
                    items.Remove(key);
                }
                else
                {
                    items[key] = value;
                }
            }

            count += items.Count;
            shards[s] = new DnsNameTable<T>(items);
        }

        return new ShardedNameTable<T>(shards, _shift, count);
    }

    /// <summary>Every name and value, shard by shard (for diagnostics and tests; not for the query path).</summary>
    public IEnumerable<KeyValuePair<byte[], T>> Items() => _shards.SelectMany(shard => shard.Items());

    /// <summary>Finds a name spelled in any case.</summary>
    [System.Runtime.CompilerServices.SkipLocalsInit]
    public T? Find(ReadOnlySpan<byte> name)
    {
        Span<byte> lower = stackalloc byte[DnsName.MaxLength + 1];
        if (name.Length > lower.Length)
        {
            return null;
        }

        DnsName.ToLowerFast(name, lower);
        return FindLower(lower[..name.Length]);
    }

    /// <summary>Finds a name already lower-cased.</summary>
    public T? FindLower(ReadOnlySpan<byte> lowerName)
    {
        uint hash = DnsName.HashLower(lowerName);
        return _shards[ShardOf(hash, _shift)].FindLower(lowerName, hash);
    }

    private static int ShardOf(uint hash, int shift) => shift >= 32 ? 0 : (int)((hash * 0x9E3779B9u) >> shift);

    /// <summary>Equality of lower-case wire names.</summary>
    internal sealed class WireNameComparer : IEqualityComparer<byte[]>
    {
        public static readonly WireNameComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(byte[] obj) => (int)DnsName.HashLower(obj);
    }
}
