namespace Minuet.DataPlane.Dns.Records;

/// <summary>z-base-32 encoding (Zooko's human-oriented alphabet), as Mesos-DNS uses for task hashes.</summary>
public static class ZBase32
{
    private static ReadOnlySpan<byte> Alphabet => "ybndrfg8ejkmcpqxot1uwisza345h769"u8;

    /// <summary>Characters needed to encode <paramref name="byteCount"/> bytes (5 bits per char, no padding).</summary>
    public static int EncodedLength(int byteCount) => ((byteCount * 8) + 4) / 5;

    /// <summary>Encodes <paramref name="input"/> into <paramref name="output"/> as ASCII; returns the chars written.</summary>
    public static int Encode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        int needed = EncodedLength(input.Length);
        if (output.Length < needed)
        {
            throw new ArgumentException("Output span is too small.", nameof(output));
        }

        int buffer = 0;
        int bits = 0;
        int written = 0;
        foreach (byte b in input)
        {
            buffer = (buffer << 8) | b;
            bits += 8;
            while (bits >= 5)
            {
                bits -= 5;
                output[written++] = Alphabet[(buffer >> bits) & 0x1F];
            }
        }

        if (bits > 0)
        {
            output[written++] = Alphabet[(buffer << (5 - bits)) & 0x1F];
        }

        return written;
    }
}
