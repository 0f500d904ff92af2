namespace Minuet.Native.Netlink;

/// <summary>Receives the data messages of a request's reply (a dump or a GET); implemented by structs to avoid allocation.</summary>
internal interface INetlinkReplyHandler
{
    /// <summary>
    /// Called for each non-control message with the request's sequence number. Returns true when that message
    /// completes the reply (requests sent without NLM_F_ACK get no ACK to wait for), false to keep reading.
    /// </summary>
    bool OnMessage(in NetlinkMessage message);
}
