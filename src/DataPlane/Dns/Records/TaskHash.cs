using System.Security.Cryptography;
using System.Text;

namespace Minuet.DataPlane.Dns.Records;

/// <summary>The 5-character task hash Mesos-DNS puts in canonical task names (z-base-32 of SHA-1 of the task id).</summary>
public static class TaskHash
{
    /// <summary>Length of the hash part in a canonical name such as <c>web-7ngqb-s1.marathon.mesos</c>.</summary>
    public const int Length = 5;

    /// <summary>Writes the hash of <paramref name="taskId"/> into <paramref name="destination"/> (at least 5 bytes).</summary>
    public static void Compute(ReadOnlySpan<char> taskId, Span<byte> destination)
    {
        // Task ids are short; a stack buffer keeps snapshot builds for 10k tasks allocation-free here.
        int maxBytes = Encoding.UTF8.GetMaxByteCount(taskId.Length);
        Span<byte> utf8 = maxBytes <= 512 ? stackalloc byte[maxBytes] : new byte[maxBytes];
        int len = Encoding.UTF8.GetBytes(taskId, utf8);

        Span<byte> sha = stackalloc byte[SHA1.HashSizeInBytes];
        // SHA-1 is not used for security here: it is the name format Mesos-DNS defined, and must match it.
#pragma warning disable CA5350
        SHA1.HashData(utf8[..len], sha);
#pragma warning restore CA5350

        Span<byte> encoded = stackalloc byte[ZBase32.EncodedLength(SHA1.HashSizeInBytes)];
        ZBase32.Encode(sha, encoded);
        encoded[..Length].CopyTo(destination);
    }

    /// <summary>The hash as a string, for record building and tests.</summary>
    public static string Compute(string taskId)
    {
        Span<byte> hash = stackalloc byte[Length];
        Compute(taskId, hash);
        return Encoding.ASCII.GetString(hash);
    }
}
