using System.Globalization;

namespace Minuet.DataPlane.L4lb.Vips;

/// <summary>
/// Parses VIP label keys and values the way dcos-net did (<c>dcos_net_mesos_listener.erl</c>,
/// <c>dcos_l4lb_mesos_poller.erl</c>): a discovery port label whose key starts with <c>vip</c> (any case) is a
/// VIP; its value <c>host:port</c> splits on the last colon; a host that parses as an IPv4 address is an IP
/// VIP, anything else a named VIP. Legacy task labels <c>VIP_PORT&lt;idx&gt;</c> = <c>tcp://host:port</c> bind the
/// idx-th host port of the task (<c>udp://host:port</c> a UDP VIP). Failures return a reason, never throw.
/// </summary>
internal static class VipLabelParser
{
    private const string LegacyPrefix = "VIP_PORT";

    private static readonly System.Buffers.SearchValues<char> DigitsAndDots = System.Buffers.SearchValues.Create("0123456789.");

    public static bool IsVipKey(string key) => key.StartsWith("vip", StringComparison.OrdinalIgnoreCase);

    /// <summary>True for <c>VIP_PORT&lt;n&gt;</c> task labels; <paramref name="portIndex"/> is n.</summary>
    public static bool IsLegacyTaskKey(string key, out int portIndex)
    {
        portIndex = -1;
        return key.StartsWith(LegacyPrefix, StringComparison.OrdinalIgnoreCase) &&
               int.TryParse(key.AsSpan(LegacyPrefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out portIndex);
    }

    /// <summary>Parses <c>ip:port</c> or <c>/name:port</c>.</summary>
    public static bool TryParseValue(string value, out VipTarget target, out string reason)
    {
        target = default;
        reason = string.Empty;
        var text = value.AsSpan().Trim();
        int colon = text.LastIndexOf(':');
        if (colon < 0)
        {
            reason = "no port: expected ip:port or /name:port";
            return false;
        }

        var host = text[..colon];
        var portText = text[(colon + 1)..];
        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port is < 1 or > 65535)
        {
            reason = $"port '{portText}' is not a number between 1 and 65535";
            return false;
        }

        if (host.IsEmpty)
        {
            reason = "empty name or address before the port";
            return false;
        }

        if (IpPort.TryParseAddress(host, out uint address))
        {
            target = new VipTarget(address, null, (ushort)port);
            return true;
        }

        if (host.Contains(':') || (host.IndexOfAnyExcept(DigitsAndDots) < 0))
        {
            reason = $"'{host}' is neither an IPv4 address nor a name (IPv6 VIPs are not supported)";
            return false;
        }

        // Group paths lose their slashes (/grp/app -> grpapp), as in DC/OS, rather than becoming subdomains.
        var label = DnsLabel.Mangle(host.ToString());
        if (label.Length == 0)
        {
            reason = $"name '{host}' has no letters or digits";
            return false;
        }

        target = new VipTarget(0, label, (ushort)port);
        return true;
    }

    /// <summary>Parses a legacy <c>tcp://host:port</c> or <c>udp://host:port</c> value (no scheme: TCP).</summary>
    public static bool TryParseLegacyValue(string value, out VipTarget target, out VipProtocol protocol, out string reason)
    {
        const string Tcp = "tcp://";
        const string Udp = "udp://";
        protocol = VipProtocol.Tcp;
        var rest = value;
        if (value.StartsWith(Udp, StringComparison.OrdinalIgnoreCase))
        {
            protocol = VipProtocol.Udp;
            rest = value[Udp.Length..];
        }
        else if (value.StartsWith(Tcp, StringComparison.OrdinalIgnoreCase))
        {
            rest = value[Tcp.Length..];
        }

        return TryParseValue(rest, out target, out reason);
    }
}
