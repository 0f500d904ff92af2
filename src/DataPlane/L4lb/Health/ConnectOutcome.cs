using Minuet.Native.Netlink.Conntrack;

namespace Minuet.DataPlane.L4lb.Health;

/// <summary>What one conntrack view of a balanced flow says about its connect attempt.</summary>
internal enum ConnectOutcome
{
    /// <summary>Still waiting for the handshake (SYN_SENT), or nothing to say.</summary>
    Pending,

    /// <summary>The backend answered the SYN with SYN/ACK (or the flow got further).</summary>
    Answered,

    /// <summary>The SYN was answered with a reset: the flow went SYN_SENT → CLOSE without ever being assured.</summary>
    Refused,
}

/// <summary>
/// Reads a connect outcome from an entry. SEEN_REPLY alone is no success: a reset answering the SYN is a reply
/// too (that is how a dead backend whose host lives looked healthy). The TCP state tells them apart; an entry
/// without protocol info falls back to SEEN_REPLY. ICMP unreachable answers do not touch the entry: those stay
/// pending until the connect threshold makes them failures.
/// </summary>
internal static class ConnectOutcomes
{
    public static ConnectOutcome Classify(in ConntrackEntryInfo entry)
    {
        if ((entry.Status & ConntrackStatus.Assured) != 0)
        {
            return ConnectOutcome.Answered;
        }

        return entry.TcpState switch
        {
            TcpConntrackState.SynRecv or TcpConntrackState.Established or TcpConntrackState.FinWait or
                TcpConntrackState.CloseWait or TcpConntrackState.LastAck or TcpConntrackState.TimeWait => ConnectOutcome.Answered,
            TcpConntrackState.Close => ConnectOutcome.Refused,
            TcpConntrackState.None when (entry.Status & ConntrackStatus.SeenReply) != 0 => ConnectOutcome.Answered,
            _ => ConnectOutcome.Pending,
        };
    }
}
