using Minuet.DataPlane.L4lb.Selection;
using Minuet.Native.Netlink.Conntrack;

namespace Minuet.DataPlane.L4lb.Kernel;

/// <summary>
/// Tells a retransmitted SYN from a reused port. A create that meets EEXIST on the original tuple finds either
/// the entry this flow's first SYN got (still in the handshake and NATed: keep it, so the retransmit reaches
/// the same backend, which may already have answered) or a stale one of an earlier flow (TIME_WAIT, CLOSE ...:
/// replace it with a fresh decision).
/// </summary>
internal static class RetransmittedSyn
{
    public static bool KeepsEntry(in ConntrackEntryInfo existing, in FlowTuple flow)
    {
        if (existing.TcpState is not (TcpConntrackState.SynSent or TcpConntrackState.SynSent2 or TcpConntrackState.SynRecv))
        {
            return false;
        }

        var o = existing.Original;
        if (o.SourceAddress != flow.SourceAddress || o.SourcePort != flow.SourcePort ||
            o.DestinationAddress != flow.DestinationAddress || o.DestinationPort != flow.DestinationPort)
        {
            return false;
        }

        // NATed: the reply comes from somewhere other than the VIP the client called.
        return existing.HasReply &&
            (existing.Reply.SourceAddress != flow.DestinationAddress || existing.Reply.SourcePort != flow.DestinationPort);
    }
}
