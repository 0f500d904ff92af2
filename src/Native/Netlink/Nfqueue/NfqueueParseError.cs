namespace Minuet.Native.Netlink.Nfqueue;

/// <summary>Why an nfnetlink_queue message could not be read as a packet.</summary>
public enum NfqueueParseError
{
    None = 0,

    /// <summary>Not an NFQNL_MSG_PACKET message (for example an error answer to a verdict).</summary>
    NotAPacket,

    /// <summary>No NFQA_PACKET_HDR, or one shorter than 7 bytes: without the id no verdict can be given.</summary>
    MissingPacketHeader,

    /// <summary>An attribute length runs past the message.</summary>
    MalformedAttribute,
}
