using System.Buffers.Binary;
using Minuet.Native.Interop;

namespace Minuet.Native.Netlink;

/// <summary>
/// Walks the messages of one received buffer (several per datagram, NLM_F_MULTI parts, NLMSG_DONE, NLMSG_ERROR).
/// Malformed lengths stop the walk with <see cref="Error"/> set; nothing is read outside the buffer.
/// </summary>
internal ref struct NetlinkMessageReader
{
    private ReadOnlySpan<byte> _remaining;

    public NetlinkMessageReader(ReadOnlySpan<byte> buffer)
    {
        _remaining = buffer;
    }

    /// <summary>Why the last <see cref="TryRead"/> returned false; <see cref="NetlinkReadError.None"/> at a clean end.</summary>
    public NetlinkReadError Error { get; private set; }

    public bool TryRead(out NetlinkMessage message)
    {
        message = default;
        if (_remaining.IsEmpty || Error != NetlinkReadError.None)
        {
            return false;
        }

        if (_remaining.Length < nlmsghdr.Size)
        {
            return Fail(NetlinkReadError.Truncated);
        }

        uint length = ReadHost32(_remaining);
        if (length < nlmsghdr.Size)
        {
            return Fail(NetlinkReadError.LengthTooSmall);
        }

        if (length > (uint)_remaining.Length)
        {
            return Fail(NetlinkReadError.Truncated);
        }

        message = new NetlinkMessage(
            type: ReadHost16(_remaining[4..]),
            flags: ReadHost16(_remaining[6..]),
            sequence: ReadHost32(_remaining[8..]),
            portId: ReadHost32(_remaining[12..]),
            payload: _remaining[nlmsghdr.Size..(int)length]);

        // The last message of a datagram may omit its trailing padding.
        int advance = Math.Min(NetlinkWriter.Align((int)length), _remaining.Length);
        _remaining = _remaining[advance..];
        return true;
    }

    private bool Fail(NetlinkReadError error)
    {
        Error = error;
        _remaining = ReadOnlySpan<byte>.Empty;
        return false;
    }

    internal static uint ReadHost32(ReadOnlySpan<byte> source) => BitConverter.IsLittleEndian
        ? BinaryPrimitives.ReadUInt32LittleEndian(source)
        : BinaryPrimitives.ReadUInt32BigEndian(source);

    internal static ushort ReadHost16(ReadOnlySpan<byte> source) => BitConverter.IsLittleEndian
        ? BinaryPrimitives.ReadUInt16LittleEndian(source)
        : BinaryPrimitives.ReadUInt16BigEndian(source);
}
