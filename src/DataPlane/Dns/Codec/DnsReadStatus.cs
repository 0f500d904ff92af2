namespace Minuet.DataPlane.Dns.Codec;

/// <summary>
/// Outcome of a read: done, "the message ends before the field does" (a TCP reader may wait for more,
/// a UDP datagram is simply short), or malformed with a <see cref="DnsMalformedReason"/>.
/// </summary>
internal enum DnsReadStatus : byte
{
    Done = 0,
    Incomplete = 1,
    Malformed = 2,
}

/// <summary>Why a message was rejected as malformed; logged and counted, never thrown.</summary>
internal enum DnsMalformedReason : byte
{
    None = 0,
    /// <summary>A label type of 0x40 or 0x80 (extended/reserved label types are not supported).</summary>
    BadLabelType,
    /// <summary>The name is longer than 255 octets in wire form.</summary>
    NameTooLong,
    /// <summary>A compression pointer does not point strictly before every part of the name read so far (loops, forward jumps).</summary>
    BadPointer,
    /// <summary>A compression pointer or label runs past the end of the message while following a pointer.</summary>
    PointerOutOfRange,
    /// <summary>QDCOUNT is not 1.</summary>
    QuestionCount,
    /// <summary>An OPT record whose owner is not the root, or more than one OPT record.</summary>
    BadOpt,
    /// <summary>A record's RDLENGTH runs past the end of the message.</summary>
    RdataOutOfRange,
    /// <summary>A UDP datagram larger than the receive buffer (the kernel cut it).</summary>
    Oversized,
}
