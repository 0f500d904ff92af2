using Minuet.Native.Netlink.Conntrack;

namespace Minuet.Native.Netlink.Nfqueue;

/// <summary>The 5-tuple (and TCP flags) read from a queued IPv4 packet's headers; addresses are host-order numbers.</summary>
public readonly record struct PacketFlow(uint SourceAddress, uint DestinationAddress, ushort SourcePort, ushort DestinationPort, byte Protocol, byte TcpFlags)
{
    public const byte Fin = 0x01;
    public const byte Syn = 0x02;
    public const byte Rst = 0x04;
    public const byte Ack = 0x10;

    /// <summary>A connection-opening SYN (SYN set; ACK, RST and FIN clear), what the Minuteman rule queues.</summary>
    public bool IsInitialSyn => Protocol == ConntrackTuple.Tcp && (TcpFlags & (Syn | Ack | Rst | Fin)) == Syn;

    /// <summary>The conntrack original tuple of this packet's flow.</summary>
    public ConntrackTuple ToTuple() => new(SourceAddress, DestinationAddress, SourcePort, DestinationPort, Protocol);
}
