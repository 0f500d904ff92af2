using System.Globalization;

namespace Minuet.DataPlane.Dns.Records;

/// <summary>A libprocess pid such as <c>slave(1)@10.0.0.1:5051</c> or <c>master@[2001:db8::1]:5050</c>.</summary>
internal readonly record struct MesosPid(string Host, string Port)
{
    /// <summary>Splits <c>id@host:port</c>; false when there is no <c>@</c> or no host:port after it.</summary>
    public static bool TryParse(string? pid, out MesosPid result)
    {
        result = default;
        if (string.IsNullOrEmpty(pid))
        {
            return false;
        }

        int at = pid.IndexOf('@', StringComparison.Ordinal);
        return at >= 0 && TrySplitHostPort(pid[(at + 1)..], out result);
    }

    /// <summary><c>host:port</c> or <c>[v6]:port</c>; the port must be a number.</summary>
    public static bool TrySplitHostPort(string address, out MesosPid result)
    {
        result = default;
        string host;
        string port;
        if (address.StartsWith('['))
        {
            int close = address.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= address.Length || address[close + 1] != ':')
            {
                return false;
            }

            host = address[1..close];
            port = address[(close + 2)..];
        }
        else
        {
            int colon = address.LastIndexOf(':');
            if (colon <= 0 || address.IndexOf(':', StringComparison.Ordinal) != colon)
            {
                return false;
            }

            host = address[..colon];
            port = address[(colon + 1)..];
        }

        if (host.Length == 0 || !ushort.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }

        result = new MesosPid(host, port);
        return true;
    }
}
