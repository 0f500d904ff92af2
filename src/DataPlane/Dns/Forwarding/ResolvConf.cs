using System.Net;
using System.Net.NetworkInformation;

namespace Minuet.DataPlane.Dns.Forwarding;

/// <summary>Reads upstream resolvers from resolv.conf, leaving out this server's own listen address.</summary>
internal static class ResolvConf
{
    public const string DefaultPath = "/etc/resolv.conf";

    /// <summary>
    /// The <c>nameserver</c> entries of <paramref name="path"/> on port 53, except any that is <paramref name="self"/>
    /// (or, when listening on a wildcard address on port 53, any loopback address or address of this host's
    /// interfaces, which would be us again and loop every forwarded query). A missing file yields an empty list.
    /// </summary>
    public static IReadOnlyList<IPEndPoint> ReadUpstreams(string path, IPEndPoint? self)
    {
        if (!File.Exists(path))
        {
            return [];
        }

        return Parse(File.ReadAllLines(path), self, IsWildcard(self) ? HostAddresses() : null);
    }

    /// <summary>Parses resolv.conf lines; <paramref name="hostAddresses"/> are this host's own addresses, left out under a wildcard listen.</summary>
    public static IReadOnlyList<IPEndPoint> Parse(IEnumerable<string> lines, IPEndPoint? self, IReadOnlySet<IPAddress>? hostAddresses = null)
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
            if (!IsSelf(endpoint, self, hostAddresses) && !result.Contains(endpoint))
            {
                result.Add(endpoint);
            }
        }

        return result;
    }

    private static bool IsWildcard(IPEndPoint? self) =>
        self is not null && (self.Address.Equals(IPAddress.Any) || self.Address.Equals(IPAddress.IPv6Any));

    private static HashSet<IPAddress> HostAddresses()
    {
        var addresses = new HashSet<IPAddress>();
        try
        {
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
            {
                foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                {
                    addresses.Add(unicast.Address);
                }
            }
        }
        catch (NetworkInformationException)
        {
            // Without the interface list only loopback is recognised as ourselves, as before.
        }

        return addresses;
    }

    private static bool IsSelf(IPEndPoint candidate, IPEndPoint? self, IReadOnlySet<IPAddress>? hostAddresses)
    {
        if (self is null || self.Port != candidate.Port)
        {
            return false;
        }

        if (self.Address.Equals(candidate.Address))
        {
            return true;
        }

        return IsWildcard(self) && (IPAddress.IsLoopback(candidate.Address) || hostAddresses?.Contains(candidate.Address) == true);
    }
}
