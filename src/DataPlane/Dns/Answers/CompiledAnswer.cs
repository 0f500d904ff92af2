using System.Buffers.Binary;
using Minuet.DataPlane.Dns.Codec;

namespace Minuet.DataPlane.Dns.Answers;

/// <summary>
/// A complete response for one (name, type), precomputed at snapshot time in several rotations of its records
/// (the per-query shuffle). Per query only the id, flags, question case and counts are patched, and a response
/// that does not fit is cut at a record boundary: names only ever point backwards, so every prefix stays valid.
/// </summary>
internal sealed class CompiledAnswer
{
    public CompiledAnswer(AnswerVariant[] variants, ushort answerCount, ushort authorityCount, ushort additionalCount, int questionEnd)
    {
        Variants = variants;
        AnswerCount = answerCount;
        AuthorityCount = authorityCount;
        AdditionalCount = additionalCount;
        QuestionEnd = questionEnd;
    }

    public AnswerVariant[] Variants { get; }

    public ushort AnswerCount { get; }

    public ushort AuthorityCount { get; }

    public ushort AdditionalCount { get; }

    /// <summary>Offset just past the question: where records start.</summary>
    public int QuestionEnd { get; }

    /// <summary>
    /// Copies the longest prefix of <paramref name="variant"/> that fits in <paramref name="limit"/> bytes into
    /// <paramref name="destination"/> and patches its counts. Additional records go first, then trailing answers;
    /// TC is reported only when an answer or authority record had to go (RFC 2181 9).
    /// </summary>
    public int CopyTo(int variant, Span<byte> destination, int limit, out bool truncated)
    {
        var v = Variants[variant];
        byte[] wire = v.Wire;
        ushort an = AnswerCount, ns = AuthorityCount, ar = AdditionalCount;
        int length = wire.Length;
        truncated = false;
        if (length > limit)
        {
            ushort[] ends = v.RecordEnds;
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

        wire.AsSpan(0, length).CopyTo(destination);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], an);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], ns);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], ar);
        return length;
    }
}

/// <summary>One rotation of a <see cref="CompiledAnswer"/>: the wire bytes and where each record ends.</summary>
internal sealed record AnswerVariant(byte[] Wire, ushort[] RecordEnds);
