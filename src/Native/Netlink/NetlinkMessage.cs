using System.Buffers.Binary;
using Minuet.Native.Interop;

namespace Minuet.Native.Netlink;

/// <summary>One netlink message inside a received buffer: header fields and the payload after nlmsghdr.</summary>
internal readonly ref struct NetlinkMessage
{
    public NetlinkMessage(ushort type, ushort flags, uint sequence, uint portId, ReadOnlySpan<byte> payload)
    {
        Type = type;
        Flags = flags;
        Sequence = sequence;
        PortId = portId;
        Payload = payload;
    }

    public ushort Type { get; }

    public ushort Flags { get; }

    public uint Sequence { get; }

    public uint PortId { get; }

    public ReadOnlySpan<byte> Payload { get; }

    public bool IsError => Type == NetlinkMessageTypes.Error;

    public bool IsDone => Type == NetlinkMessageTypes.Done;

    public bool IsMultipart => (Flags & NetlinkFlags.Multi) != 0;

    /// <summary>
    /// For NLMSG_ERROR: the errno it carries (<see cref="Errno.None"/> for an ACK). False when the payload is too
    /// short to hold the error code.
    /// </summary>
    public bool TryGetError(out Errno errno)
    {
        errno = Errno.None;
        if (!IsError || Payload.Length < sizeof(int))
        {
            return false;
        }

        int error = BitConverter.IsLittleEndian
            ? BinaryPrimitives.ReadInt32LittleEndian(Payload)
            : BinaryPrimitives.ReadInt32BigEndian(Payload);
        errno = (Errno)(-error);
        return true;
    }

    /// <summary>Reads the nfgenmsg header of an nfnetlink message; false when the payload is shorter than it.</summary>
    public bool TryGetNfgenmsg(out byte family, out ushort resourceId)
    {
        if (Payload.Length < nfgenmsg.Size)
        {
            family = 0;
            resourceId = 0;
            return false;
        }

        family = Payload[0];
        resourceId = BinaryPrimitives.ReadUInt16BigEndian(Payload[2..]);
        return true;
    }

    /// <summary>The attributes after the nfgenmsg header (empty when there is no room for the header).</summary>
    public NetlinkAttributeReader NfnetlinkAttributes =>
        new(Payload.Length < nfgenmsg.Size ? ReadOnlySpan<byte>.Empty : Payload[nfgenmsg.Size..]);
}
