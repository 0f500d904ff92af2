namespace Minuet.Native.Netlink.Conntrack;

/// <summary>A conntrack entry as an event or GET reply describes it; fields the message lacked stay zero.</summary>
public readonly record struct ConntrackEntryInfo(
    ConntrackEventType EventType,
    ConntrackTuple Original,
    ConntrackTuple Reply,
    ConntrackStatus Status,
    TcpConntrackState TcpState,
    uint Id,
    uint TimeoutSeconds,
    uint Mark)
{
    public bool HasReply => Reply.Protocol != 0;
}
