namespace Minuet.Native.Netlink.Conntrack;

/// <summary>enum tcp_conntrack from linux/netfilter/nf_conntrack_tcp.h.</summary>
public enum TcpConntrackState : byte
{
    None = 0,
    SynSent = 1,
    SynRecv = 2,
    Established = 3,
    FinWait = 4,
    CloseWait = 5,
    LastAck = 6,
    TimeWait = 7,
    Close = 8,
    SynSent2 = 9,
}
