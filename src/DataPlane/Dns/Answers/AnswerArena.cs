namespace Minuet.DataPlane.Dns.Answers;

/// <summary>
/// Packs the compiled answers of one index into a few large shared arrays instead of two small arrays per rotation:
/// for 10,000 tasks that is hundreds of thousands of objects fewer, so less heap overhead, less GC work and a
/// smaller resident set. An answer never spans chunks; one bigger than a chunk gets an array of its own.
/// </summary>
internal sealed class AnswerArena(int chunkSize = AnswerArena.DefaultChunkSize)
{
    // Large enough that the tail left unused when a chunk fills is small next to it, small enough that a tiny
    // record set does not pin much memory.
    public const int DefaultChunkSize = 256 * 1024;

    private readonly int _chunkSize = chunkSize;

    private byte[] _chunk = [];
    private int _used;

    /// <summary>Copies <paramref name="bytes"/> into the arena: returns the array holding them and their offset.</summary>
    public byte[] Add(ReadOnlySpan<byte> bytes, out int offset)
    {
        if (bytes.Length > _chunkSize)
        {
            offset = 0;
            return bytes.ToArray();
        }

        if (_chunk.Length - _used < bytes.Length)
        {
            _chunk = GC.AllocateUninitializedArray<byte>(_chunkSize);
            _used = 0;
        }

        offset = _used;
        bytes.CopyTo(_chunk.AsSpan(_used));
        _used += bytes.Length;
        return _chunk;
    }
}
