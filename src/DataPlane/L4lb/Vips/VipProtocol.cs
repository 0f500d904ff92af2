namespace Minuet.DataPlane.L4lb.Vips;

/// <summary>The transport of a VIP (and of its backends); the values are the IP protocol numbers.</summary>
internal enum VipProtocol : byte
{
    Tcp = 6,
    Udp = 17,
}

/// <summary>Names of <see cref="VipProtocol"/> as Marathon, Mesos and dcos-net's <c>/v1/vips</c> spell them.</summary>
internal static class VipProtocols
{
    public static string Name(VipProtocol protocol) => protocol == VipProtocol.Udp ? "udp" : "tcp";

    /// <summary>
    /// The protocols of a Mesos discovery port's <c>protocol</c>: <c>tcp</c>, <c>udp</c>, Marathon's <c>udp,tcp</c>,
    /// or empty/null for TCP (what Minuet balanced before UDP VIPs existed). False for anything else.
    /// </summary>
    public static bool TryParseList(string? text, out bool tcp, out bool udp)
    {
        tcp = false;
        udp = false;
        if (string.IsNullOrWhiteSpace(text))
        {
            tcp = true;
            return true;
        }

        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.Equals("tcp", StringComparison.OrdinalIgnoreCase))
            {
                tcp = true;
            }
            else if (part.Equals("udp", StringComparison.OrdinalIgnoreCase))
            {
                udp = true;
            }
            else
            {
                return false;
            }
        }

        return tcp || udp;
    }
}
