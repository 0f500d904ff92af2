using System.Net;

namespace Minuet.DataPlane.Dns.Forwarding;

/// <summary>Reads upstream resolvers from resolv.conf, leaving out this server's own listen address.</summary>
internal static class ResolvConf
{
    public const string DefaultPath = "/etc/resolv.conf";

    /// <summary>
    /// The <c>nameserver</c> entries of <paramref name="path"/> on port 53, except any that is <paramref name="self"/>
    /// (or, when listening on a wildcard address on port 53, any loopback address, which would be us again).
    /// A missing file yields an empty list.
    /// </summary>
    public static IReadOnlyList<IPEndPoint> ReadUpstreams(string path, IPEndPoint? self)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        return Parse(File.ReadAllLines(path), self);
    }

    public static IReadOnlyList<IPEndPoint> Parse(IEnumerable<string> lines, IPEndPoint? self)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var result = new List<IPEndPoint>();
        foreach (string raw in lines)
        {
            string line = raw.Trim();
            if (!line.StartsWith("nameserver", StringComparison.Ordinal))
            {
                continue;
            }

            string[] parts = line.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            // resolv.conf may carry a zone index (fe80::1%eth0); IPAddress parses that form too.
            if (parts.Length < 2 || !IPAddress.TryParse(parts[1], out var address))
            {
                continue;
            }

            var endpoint = new IPEndPoint(address, 53);
            if (!IsSelf(endpoint, self) && !result.Contains(endpoint))
            {
                result.Add(endpoint);
            }
        }

        return result;
    }

    private static bool IsSelf(IPEndPoint candidate, IPEndPoint? self)
    {
        if (self is null || self.Port != candidate.Port)
        {
            return false;
        }

        if (self.Address.Equals(candidate.Address))
        {
            return true;
        }

        bool wildcard = self.Address.Equals(IPAddress.Any) || self.Address.Equals(IPAddress.IPv6Any);
        return wildcard && IPAddress.IsLoopback(candidate.Address);
    }
}
