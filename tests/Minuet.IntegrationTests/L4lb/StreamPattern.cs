using System.Security.Cryptography;

namespace Minuet.IntegrationTests.L4lb;

/// <summary>The bytes a <see cref="BackendServer"/> streams: position-dependent, so a lost, repeated or reordered chunk changes the hash.</summary>
internal static class StreamPattern
{
    public static void Fill(Span<byte> destination, long offset)
    {
        for (int i = 0; i < destination.Length; i++)
        {
            long at = offset + i;
            destination[i] = (byte)((at % 251) ^ (at >> 16));
        }
    }

    /// <summary>SHA-256 of the first <paramref name="total"/> bytes of the pattern.</summary>
    public static byte[] Hash(long total)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var chunk = new byte[64 * 1024];
        for (long done = 0; done < total;)
        {
            int n = (int)Math.Min(chunk.Length, total - done);
            Fill(chunk.AsSpan(0, n), done);
            hash.AppendData(chunk, 0, n);
            done += n;
        }

        return hash.GetHashAndReset();
    }
}
