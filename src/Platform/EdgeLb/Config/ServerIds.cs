using System.Numerics;
using System.Security.Cryptography;
using System.Text;

namespace Minuet.Platform.EdgeLb.Config;

/// <summary>
/// marathon-lb's stable server ids and cookies, so HAProxy's server state survives reloads and sticky cookies keep
/// working across a switch from marathon-lb: id = SHA-256(name) mod 32767 (HAProxy ids are positive C ints; 32767 keeps
/// them in any int), and on a zero or a collision within the backend the name is extended with its own hex digest and
/// hashed again, which is deterministic for the same set of names.
/// </summary>
internal static class ServerIds
{
    public static int Calculate(string serverName, HashSet<int> taken)
    {
        ArgumentException.ThrowIfNullOrEmpty(serverName);
        string name = serverName;
        while (true)
        {
            byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes(name));
            int id = (int)(new BigInteger(digest, isUnsigned: true, isBigEndian: true) % 32767);
            if (id > 0 && taken.Add(id))
            {
                return id;
            }

            name = name + " " + Convert.ToHexStringLower(digest);
        }
    }

    /// <summary>The sticky cookie value: the first ten hex digits of SHA-1(name).</summary>
    public static string Cookie(string serverName) =>
#pragma warning disable CA5350 // marathon-lb's cookie format, not security: it only has to match what clients already hold
        Convert.ToHexStringLower(SHA1.HashData(Encoding.UTF8.GetBytes(serverName)))[..10];
#pragma warning restore CA5350

    /// <summary>marathon-lb's server name: host, IP and port (host left out when it is the IP), non-alphanumerics as <c>_</c>.</summary>
    public static string ServerName(BackendServer server) =>
        Clean(server.Host != server.Ip ? $"{server.Host}_{server.Ip}_{server.Port}" : $"{server.Ip}_{server.Port}");

    /// <summary>marathon-lb's <c>re.sub(r'[^a-zA-Z0-9\-]', '_', s)</c>.</summary>
    public static string Clean(string text) =>
        string.Create(text.Length, text, static (span, s) =>
        {
            for (int i = 0; i < s.Length; i++)
            {
                char c = s[i];
                span[i] = char.IsAsciiLetterOrDigit(c) || c == '-' ? c : '_';
            }
        });
}
