namespace Minuet.DataPlane.L4lb.Selection;

/// <summary>A flow as its first packet shows it (addresses in host byte order): a TCP SYN or a UDP datagram.</summary>
internal readonly record struct FlowTuple(uint SourceAddress, ushort SourcePort, uint DestinationAddress, ushort DestinationPort, byte Protocol = FlowTuple.Tcp)
{
    public const byte Tcp = 6;

    public const byte Udp = 17;

    public Vips.VipProtocol VipProtocol => Protocol == Udp ? Vips.VipProtocol.Udp : Vips.VipProtocol.Tcp;

    /// <summary>A well-mixed 64-bit hash of the 5-tuple (SplitMix64 finaliser), stable across processes.</summary>
    public ulong Hash()
    {
        ulong a = ((ulong)SourceAddress << 32) | DestinationAddress;
        ulong b = ((ulong)SourcePort << 32) | ((ulong)DestinationPort << 8) | Protocol;
        return Mix(a ^ Mix(b));
    }

    public static ulong Mix(ulong x)
    {
        x += 0x9E3779B97F4A7C15UL;
        x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9UL;
        x = (x ^ (x >> 27)) * 0x94D049BB133111EBUL;
        return x ^ (x >> 31);
    }
}
