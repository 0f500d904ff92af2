namespace Minuet.Native.Netlink;

/// <summary>Receives the data messages of a request's reply (a dump or a GET); implemented by structs to avoid allocation.</summary>
internal interface INetlinkReplyHandler
{
    /// <summary>Called for each non-control message with the request's sequence number.</summary>
    void OnMessage(in NetlinkMessage message);
}
