using Minuet.Native.Interop;

namespace Minuet.Native.Netlink;

/// <summary>Walks a run of attributes (a message body or a nest); bad lengths stop it with <see cref="Error"/> set.</summary>
internal ref struct NetlinkAttributeReader
{
    private ReadOnlySpan<byte> _remaining;

    public NetlinkAttributeReader(ReadOnlySpan<byte> attributes)
    {
        _remaining = attributes;
    }

    public NetlinkReadError Error { get; private set; }

    public bool TryRead(out NetlinkAttribute attribute)
    {
        attribute = default;
        if (_remaining.IsEmpty || Error != NetlinkReadError.None)
        {
            return false;
        }

        if (_remaining.Length < nlattr.Size)
        {
            return Fail(NetlinkReadError.Truncated);
        }

        int length = NetlinkMessageReader.ReadHost16(_remaining);
        if (length < nlattr.Size)
        {
            return Fail(NetlinkReadError.LengthTooSmall);
        }

        if (length > _remaining.Length)
        {
            return Fail(NetlinkReadError.Truncated);
        }

        attribute = new NetlinkAttribute(NetlinkMessageReader.ReadHost16(_remaining[2..]), _remaining[nlattr.Size..length]);
        int advance = Math.Min(NetlinkWriter.Align(length), _remaining.Length);
        _remaining = _remaining[advance..];
        return true;
    }

    private bool Fail(NetlinkReadError error)
    {
        Error = error;
        _remaining = ReadOnlySpan<byte>.Empty;
        return false;
    }
}
