namespace Minuet.Native.Netlink.Conntrack;

/// <summary>
/// One direction of an IPv4 flow as conntrack keys it. Addresses are host-order numbers (198.18.0.1 is 0xC6120001),
/// protocol is the IP protocol number (6 TCP, 17 UDP).
/// </summary>
public readonly record struct ConntrackTuple(uint SourceAddress, uint DestinationAddress, ushort SourcePort, ushort DestinationPort, byte Protocol = ConntrackTuple.Tcp)
{
    public const byte Tcp = 6;
    public const byte Udp = 17;

    /// <summary>The same flow seen from the other end (source and destination swapped).</summary>
    public ConntrackTuple Inverse() => new(DestinationAddress, SourceAddress, DestinationPort, SourcePort, Protocol);

    public override string ToString() =>
        $"{Ipv4.Format(SourceAddress)}:{SourcePort} -> {Ipv4.Format(DestinationAddress)}:{DestinationPort} proto {Protocol}";
}
