using System.Buffers.Binary;

namespace Minuet.DataPlane.Dns.Answers;

/// <summary>
/// A complete response for one (name, type), precomputed at snapshot time in several rotations of its records
/// (the per-query shuffle). Per query only the id, flags, question case and counts are patched, and a response
/// that does not fit is cut at a record boundary: names only ever point backwards, so every prefix stays valid.
/// </summary>
/// <remarks>
/// The rotations live back to back in a shared <see cref="AnswerArena"/> array, each as
/// [wire length: u16][record count: u16][end offset of each record: u16 ...][wire bytes], native byte order for
/// the bookkeeping. Finding a rotation walks at most <see cref="DnsAnswerCompiler.MaxRotations"/> headers.
/// </remarks>
internal sealed class CompiledAnswer
{
    private readonly byte[] _arena;
    private readonly int _start;

    public CompiledAnswer(byte[] arena, int start, int variantCount, ushort answerCount, ushort authorityCount, ushort additionalCount, int questionEnd)
    {
        _arena = arena;
        _start = start;
        VariantCount = variantCount;
        AnswerCount = answerCount;
        AuthorityCount = authorityCount;
        AdditionalCount = additionalCount;
        QuestionEnd = questionEnd;
    }

    /// <summary>How many record orders (rotations) were precomputed.</summary>
    public int VariantCount { get; }

    public ushort AnswerCount { get; }

    public ushort AuthorityCount { get; }

    public ushort AdditionalCount { get; }

    /// <summary>Offset just past the question: where records start.</summary>
    public int QuestionEnd { get; }

    /// <summary>Bytes one rotation takes in the arena: its two-field header, its record ends and its wire bytes.</summary>
    public static int EncodedSize(int wireLength, int records) => 4 + (2 * records) + wireLength;

    /// <summary>Writes one rotation in the arena layout into <paramref name="destination"/>; returns the bytes used.</summary>
    public static int Encode(ReadOnlySpan<byte> wire, ReadOnlySpan<ushort> recordEnds, Span<byte> destination)
    {
        BitConverter.TryWriteBytes(destination, (ushort)wire.Length);
        BitConverter.TryWriteBytes(destination[2..], (ushort)recordEnds.Length);
        System.Runtime.InteropServices.MemoryMarshal.AsBytes(recordEnds).CopyTo(destination[4..]);
        int wireAt = 4 + (2 * recordEnds.Length);
        wire.CopyTo(destination[wireAt..]);
        return wireAt + wire.Length;
    }

    /// <summary>
    /// Copies the longest prefix of rotation <paramref name="variant"/> that fits in <paramref name="limit"/> bytes
    /// into <paramref name="destination"/> and patches its counts. Additional records go first, then trailing answers;
    /// TC is reported only when an answer or authority record had to go (RFC 2181 9).
    /// </summary>
    public int CopyTo(int variant, Span<byte> destination, int limit, out bool truncated)
    {
        var arena = _arena.AsSpan(_start);
        int pos = 0;
        for (int r = 0; r < variant; r++)
        {
            pos += EncodedSize(BitConverter.ToUInt16(arena[pos..]), BitConverter.ToUInt16(arena[(pos + 2)..]));
        }

        int wireLength = BitConverter.ToUInt16(arena[pos..]);
        int records = BitConverter.ToUInt16(arena[(pos + 2)..]);
        var ends = System.Runtime.InteropServices.MemoryMarshal.Cast<byte, ushort>(arena.Slice(pos + 4, 2 * records));
        var wire = arena.Slice(pos + 4 + (2 * records), wireLength);
        ushort an = AnswerCount, ns = AuthorityCount, ar = AdditionalCount;
        int length = wire.Length;
        truncated = false;
        if (length > limit)
        {
            int kept = ends.Length;
            while (kept > 0 && ends[kept - 1] > limit)
            {
                kept--;
            }

            length = kept == 0 ? QuestionEnd : ends[kept - 1];
            if (kept >= an + ns)
            {
                ar = (ushort)(kept - an - ns);
            }
            else
            {
                // Whole trailing answers go; a partial authority section would mislead, so it goes with them.
                truncated = true;
                ar = 0;
                ns = 0;
                an = (ushort)Math.Min(kept, an);
                length = an == 0 ? QuestionEnd : ends[an - 1];
            }
        }

        wire[..length].CopyTo(destination);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], an);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], ns);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], ar);
        return length;
    }
}
