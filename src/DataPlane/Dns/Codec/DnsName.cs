using System.Text;

namespace Minuet.DataPlane.Dns.Codec;

/// <summary>
/// Domain names in wire form (length-prefixed labels ending in a zero byte). Names are kept as bytes;
/// label-length bytes are at most 63, below 'A', so a whole wire name can be lower-cased byte by byte.
/// </summary>
internal static class DnsName
{
    /// <summary>Longest name in wire form, root byte included (RFC 1035 2.3.4).</summary>
    public const int MaxLength = 255;

    public const int MaxLabelLength = 63;

    /// <summary>
    /// Reads the name at <paramref name="offset"/>, following compression pointers, into <paramref name="destination"/>
    /// (uncompressed, case as sent). On success <paramref name="offset"/> moves past the name as it appears in place.
    /// Every pointer must point strictly below the lowest offset read so far, so loops and forward jumps are rejected
    /// and the walk always ends.
    /// </summary>
    public static DnsReadStatus TryRead(
        ReadOnlySpan<byte> message, ref int offset, Span<byte> destination, out int length, out DnsMalformedReason reason)
    {
        int pos = offset;
        int lowest = offset;
        int written = 0;
        bool jumped = false;
        int end = -1;
        length = 0;
        reason = DnsMalformedReason.None;

        while (true)
        {
            if ((uint)pos >= (uint)message.Length)
            {
                return Fail(jumped, DnsMalformedReason.PointerOutOfRange, out reason);
            }

            byte b = message[pos];
            if (b == 0)
            {
                if (written + 1 > MaxLength)
                {
                    reason = DnsMalformedReason.NameTooLong;
                    return DnsReadStatus.Malformed;
                }

                destination[written++] = 0;
                offset = jumped ? end : pos + 1;
                length = written;
                return DnsReadStatus.Done;
            }

            switch (b & 0xC0)
            {
                case 0xC0:
                    if (pos + 1 >= message.Length)
                    {
                        return Fail(jumped, DnsMalformedReason.PointerOutOfRange, out reason);
                    }

                    int target = ((b & 0x3F) << 8) | message[pos + 1];
                    if (target >= lowest)
                    {
                        reason = DnsMalformedReason.BadPointer;
                        return DnsReadStatus.Malformed;
                    }

                    if (!jumped)
                    {
                        end = pos + 2;
                        jumped = true;
                    }

                    lowest = target;
                    pos = target;
                    continue;
                case 0x00:
                    if (pos + 1 + b > message.Length)
                    {
                        return Fail(jumped, DnsMalformedReason.PointerOutOfRange, out reason);
                    }

                    if (written + 1 + b + 1 > MaxLength)
                    {
                        reason = DnsMalformedReason.NameTooLong;
                        return DnsReadStatus.Malformed;
                    }

                    message.Slice(pos, 1 + b).CopyTo(destination[written..]);
                    written += 1 + b;
                    pos += 1 + b;
                    continue;
                default:
                    reason = DnsMalformedReason.BadLabelType;
                    return DnsReadStatus.Malformed;
            }
        }
    }

    // Running off the end of the message in place means "more bytes needed"; doing it after a pointer jump
    // means the pointer itself was bad, which more bytes cannot fix.
    private static DnsReadStatus Fail(bool jumped, DnsMalformedReason ifJumped, out DnsMalformedReason reason)
    {
        reason = jumped ? ifJumped : DnsMalformedReason.None;
        return jumped ? DnsReadStatus.Malformed : DnsReadStatus.Incomplete;
    }

    /// <summary>Skips the name at <paramref name="offset"/> without decoding it (one pointer ends a name).</summary>
    public static DnsReadStatus Skip(ReadOnlySpan<byte> message, ref int offset, out DnsMalformedReason reason)
    {
        int pos = offset;
        int total = 0;
        reason = DnsMalformedReason.None;
        while (true)
        {
            if (pos >= message.Length)
            {
                return DnsReadStatus.Incomplete;
            }

            byte b = message[pos];
            if (b == 0)
            {
                offset = pos + 1;
                return DnsReadStatus.Done;
            }

            if ((b & 0xC0) == 0xC0)
            {
                if (pos + 1 >= message.Length)
                {
                    return DnsReadStatus.Incomplete;
                }

                offset = pos + 2;
                return DnsReadStatus.Done;
            }

            if ((b & 0xC0) != 0)
            {
                reason = DnsMalformedReason.BadLabelType;
                return DnsReadStatus.Malformed;
            }

            total += b + 1;
            if (total + 1 > MaxLength)
            {
                reason = DnsMalformedReason.NameTooLong;
                return DnsReadStatus.Malformed;
            }

            pos += b + 1;
        }
    }

    /// <summary>ASCII lower-casing of one byte (DNS case-insensitivity is ASCII-only, RFC 4343).</summary>
    public static byte ToLower(byte b) => (uint)(b - 'A') <= 'Z' - 'A' ? (byte)(b | 0x20) : b;

    public static void ToLower(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        for (int i = 0; i < source.Length; i++)
        {
            destination[i] = ToLower(source[i]);
        }
    }

    /// <summary>Case-insensitive equality of two wire names (uncompressed).</summary>
    public static bool EqualsIgnoreCase(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            if (ToLower(a[i]) != ToLower(b[i]))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// Lower-cases a wire name into <paramref name="destination"/>: vectorised for ASCII (label lengths are
    /// ASCII control bytes), byte by byte when the name holds other bytes.
    /// </summary>
    public static void ToLowerFast(ReadOnlySpan<byte> source, Span<byte> destination)
    {
        if (System.Text.Ascii.ToLower(source, destination, out _) != System.Buffers.OperationStatus.Done)
        {
            ToLower(source, destination);
        }
    }

    /// <summary>Hash of an already lower-cased wire name, eight bytes at a time (lookups hash every query name).</summary>
    public static uint HashLower(ReadOnlySpan<byte> name)
    {
        ulong h = 0x9E3779B97F4A7C15UL ^ (ulong)name.Length;
        int i = 0;
        for (; i + 8 <= name.Length; i += 8)
        {
            h = System.Numerics.BitOperations.RotateLeft((h ^ System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(name[i..])) * 0xFF51AFD7ED558CCDUL, 29);
        }

        ulong tail = 0;
        for (int k = 0; i < name.Length; i++, k += 8)
        {
            tail |= (ulong)name[i] << k;
        }

        h = (h ^ tail) * 0xC4CEB9FE1A85EC53UL;
        return (uint)(h ^ (h >> 32));
    }

    /// <summary>FNV-1a over the lower-cased bytes: same hash for any spelling of a name.</summary>
    public static uint HashIgnoreCase(ReadOnlySpan<byte> name)
    {
        uint h = 2166136261;
        foreach (byte b in name)
        {
            h = (h ^ ToLower(b)) * 16777619;
        }

        return h;
    }

    /// <summary>
    /// Encodes a dotted name (<c>web.marathon.mesos</c>, trailing dot optional, "" or "." for the root) lower-cased
    /// into wire form. Returns false for empty labels, labels over 63 bytes or names over 255 bytes.
    /// </summary>
    public static bool TryEncode(ReadOnlySpan<char> dotted, Span<byte> destination, out int length)
    {
        length = 0;
        if (dotted.Length > 0 && dotted[^1] == '.')
        {
            dotted = dotted[..^1];
        }

        int pos = 0;
        while (dotted.Length > 0)
        {
            int dot = dotted.IndexOf('.');
            ReadOnlySpan<char> label = dot < 0 ? dotted : dotted[..dot];
            int byteCount = Encoding.UTF8.GetByteCount(label);
            if (byteCount == 0 || byteCount > MaxLabelLength || pos + 1 + byteCount + 1 > MaxLength || pos + 1 + byteCount >= destination.Length)
            {
                return false;
            }

            destination[pos] = (byte)byteCount;
            Encoding.UTF8.GetBytes(label, destination[(pos + 1)..]);
            ToLower(destination.Slice(pos + 1, byteCount), destination.Slice(pos + 1, byteCount));
            pos += 1 + byteCount;
            dotted = dot < 0 ? [] : dotted[(dot + 1)..];
        }

        if (pos >= destination.Length)
        {
            return false;
        }

        destination[pos++] = 0;
        length = pos;
        return true;
    }

    /// <summary>Wire form of a dotted name as a new array; throws for invalid names (snapshot compile and tests only).</summary>
    public static byte[] Encode(string dotted)
    {
        Span<byte> buffer = stackalloc byte[MaxLength + 1];
        if (!TryEncode(dotted, buffer, out int length))
        {
            throw new ArgumentException($"'{dotted}' is not a valid domain name.", nameof(dotted));
        }

        return buffer[..length].ToArray();
    }

    /// <summary>Dotted text of an uncompressed wire name, with the trailing dot (for logs and tests).</summary>
    public static string ToText(ReadOnlySpan<byte> wire)
    {
        var sb = new StringBuilder();
        int pos = 0;
        while (pos < wire.Length && wire[pos] != 0)
        {
            int len = wire[pos];
            sb.Append(Encoding.UTF8.GetString(wire.Slice(pos + 1, Math.Min(len, wire.Length - pos - 1)))).Append('.');
            pos += 1 + len;
        }

        return sb.Length == 0 ? "." : sb.ToString();
    }

    /// <summary>
    /// Offset within <paramref name="name"/> where <paramref name="suffix"/> starts on a label boundary
    /// (case-insensitive), or -1. Both uncompressed wire names.
    /// </summary>
    public static int SuffixOffset(ReadOnlySpan<byte> name, ReadOnlySpan<byte> suffix)
    {
        int pos = 0;
        while (pos < name.Length)
        {
            if (name.Length - pos == suffix.Length)
            {
                return EqualsIgnoreCase(name[pos..], suffix) ? pos : -1;
            }

            if (name.Length - pos < suffix.Length || name[pos] == 0)
            {
                return -1;
            }

            pos += 1 + name[pos];
        }

        return -1;
    }
}
