using Minuet.DataPlane.Dns.Codec;

namespace Minuet.DataPlane.Dns.Answers;

/// <summary>
/// Read-only hash table from wire-form names (stored lower-case) to values, looked up with the name as the client
/// spelled it: hashing and comparison fold ASCII case, so a lookup needs no copy and no allocation.
/// Open addressing with linear probing at a load factor of at most 1/2.
/// </summary>
internal sealed class DnsNameTable<T>
    where T : class
{
    private readonly byte[]?[] _keys;
    private readonly T?[] _values;
    private readonly uint[] _hashes;
    private readonly int _mask;

    /// <param name="items">Names in wire form, already lower-case, with their values.</param>
    public DnsNameTable(IReadOnlyCollection<KeyValuePair<byte[], T>> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        int capacity = 16;
        while (capacity < items.Count * 2)
        {
            capacity <<= 1;
        }

        _keys = new byte[capacity][];
        _values = new T[capacity];
        _hashes = new uint[capacity];
        _mask = capacity - 1;
        foreach (var (key, value) in items)
        {
            Add(key, value);
        }

        Count = items.Count;
    }

    public int Count { get; }

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

    /// <summary>Finds a name already lower-cased (the query path lower-cases once and reuses it).</summary>
    public T? FindLower(ReadOnlySpan<byte> lowerName) => FindLower(lowerName, DnsName.HashLower(lowerName));

    /// <summary>As <see cref="FindLower(ReadOnlySpan{byte})"/> with the name's <see cref="DnsName.HashLower"/> already computed.</summary>
    public T? FindLower(ReadOnlySpan<byte> lowerName, uint hash)
    {
        int i = (int)hash & _mask;
        while (true)
        {
            byte[]? key = _keys[i];
            if (key is null)
            {
                return null;
            }

            if (_hashes[i] == hash && lowerName.SequenceEqual(key))
            {
                return _values[i];
            }

            i = (i + 1) & _mask;
        }
    }

    /// <summary>Every name and value (a sharded table rebuilds one shard from them).</summary>
    public IEnumerable<KeyValuePair<byte[], T>> Items()
    {
        for (int i = 0; i < _keys.Length; i++)
        {
            if (_keys[i] is { } key)
            {
                yield return new(key, _values[i]!);
            }
        }
    }

    private void Add(byte[] key, T value)
    {
        uint hash = DnsName.HashLower(key);
        int i = (int)hash & _mask;
        while (_keys[i] is not null)
        {
            if (_hashes[i] == hash && key.AsSpan().SequenceEqual(_keys[i]))
            {
                throw new ArgumentException($"Duplicate name {DnsName.ToText(key)}.", nameof(key));
            }

            i = (i + 1) & _mask;
        }

        _keys[i] = key;
        _values[i] = value;
        _hashes[i] = hash;
    }
}
