using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Text;
using Minuet.Native.Interop;

namespace Minuet.Native.Netlink;

/// <summary>
/// Builds netlink messages into a caller's span: headers in host order, attributes padded to 4 bytes with
/// zeroed padding, nested attributes whose length is patched when they close. Never allocates and never
/// throws on a short buffer: it stops writing, remembers the overflow, and <see cref="TryComplete"/> says so.
/// </summary>
[SkipLocalsInit]
internal ref struct NetlinkWriter
{
    public const int Alignment = 4;

    private readonly Span<byte> _buffer;
    private int _position;
    private bool _overflowed;

    public NetlinkWriter(Span<byte> buffer)
    {
        _buffer = buffer;
    }

    /// <summary>Bytes written so far (always a multiple of 4 between attributes).</summary>
    public readonly int Length => _position;

    /// <summary>True once any write did not fit; everything after that was skipped.</summary>
    public readonly bool Overflowed => _overflowed;

    public readonly ReadOnlySpan<byte> Written => _buffer[.._position];

    public static int Align(int length) => (length + Alignment - 1) & ~(Alignment - 1);

    /// <summary>Starts an nlmsghdr; returns its offset for <see cref="EndMessage"/>. Port id 0 addresses the kernel.</summary>
    public int BeginMessage(ushort type, ushort flags, uint sequence, uint portId = 0)
    {
        int start = _position;
        var header = Reserve(nlmsghdr.Size);
        if (!header.IsEmpty)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(header, 0);
            WriteHost16(header[4..], type);
            WriteHost16(header[6..], flags);
            WriteHost32(header[8..], sequence);
            WriteHost32(header[12..], portId);
        }

        return start;
    }

    /// <summary>Patches nlmsg_len of the message started at <paramref name="start"/>.</summary>
    public void EndMessage(int start)
    {
        if (_overflowed)
        {
            return;
        }

        WriteHost32(_buffer[start..], (uint)(_position - start));
    }

    /// <summary>The nfnetlink header: family, version 0, and the big-endian resource id (queue number, subsystem ...).</summary>
    public void WriteNfgenmsg(byte family, ushort resourceId, byte version = Nfnetlink.Version0)
    {
        var header = Reserve(nfgenmsg.Size);
        if (!header.IsEmpty)
        {
            header[0] = family;
            header[1] = version;
            BinaryPrimitives.WriteUInt16BigEndian(header[2..], resourceId);
        }
    }

    /// <summary>A family header written as is (rtnetlink's struct rtmsg, for example); its length must be a multiple of 4.</summary>
    public void PutRaw(scoped ReadOnlySpan<byte> header) => header.CopyTo(Reserve(header.Length));

    public void PutU8(ushort type, byte value) => PutValue(type, 1)[0] = value;

    public void PutU16(ushort type, ushort value) => WriteHost16(PutValue(type, 2), value);

    public void PutU16BigEndian(ushort type, ushort value) => BinaryPrimitives.WriteUInt16BigEndian(PutValue(type, 2), value);

    public void PutU32(ushort type, uint value) => WriteHost32(PutValue(type, 4), value);

    public void PutU32BigEndian(ushort type, uint value) => BinaryPrimitives.WriteUInt32BigEndian(PutValue(type, 4), value);

    public void PutU64BigEndian(ushort type, ulong value) => BinaryPrimitives.WriteUInt64BigEndian(PutValue(type, 8), value);

    public void PutBytes(ushort type, scoped ReadOnlySpan<byte> value) => value.CopyTo(PutValue(type, value.Length));

    /// <summary>A zero-length attribute whose presence is the value.</summary>
    public void PutFlag(ushort type) => PutValue(type, 0);

    /// <summary>A NUL-terminated ASCII string attribute (NLA_NUL_STRING), encoded straight into the buffer.</summary>
    public void PutStringZ(ushort type, string value)
    {
        var destination = PutValue(type, value.Length + 1);
        if (destination.IsEmpty)
        {
            return;
        }

        Encoding.ASCII.GetBytes(value, destination);
        destination[^1] = 0;
    }

    /// <summary>Opens a nested attribute (NLA_F_NESTED set, as libmnl does); returns its offset for <see cref="EndNested"/>.</summary>
    public int BeginNested(ushort type)
    {
        int start = _position;
        var header = Reserve(nlattr.Size);
        if (!header.IsEmpty)
        {
            WriteHost16(header, 0);
            WriteHost16(header[2..], (ushort)(type | NetlinkAttributeFlags.Nested));
        }

        return start;
    }

    /// <summary>Patches nla_len of the nest opened at <paramref name="start"/>.</summary>
    public void EndNested(int start)
    {
        if (_overflowed)
        {
            return;
        }

        WriteHost16(_buffer[start..], (ushort)(_position - start));
    }

    /// <summary>The finished bytes' length, or false when the buffer was too small for the message.</summary>
    public readonly bool TryComplete(out int written)
    {
        written = _overflowed ? 0 : _position;
        return !_overflowed;
    }

    /// <summary>Writes an attribute header and returns the span for its value; padding is zeroed here.</summary>
    private Span<byte> PutValue(ushort type, int valueLength)
    {
        int total = nlattr.Size + valueLength;
        int aligned = Align(total);
        var region = Reserve(aligned);
        if (region.IsEmpty)
        {
            // A scratch target so callers can write unconditionally; overflow is already recorded.
            return valueLength == 0 ? default : ScratchFor(valueLength);
        }

        WriteHost16(region, (ushort)total);
        WriteHost16(region[2..], type);
        region[total..aligned].Clear();
        return region.Slice(nlattr.Size, valueLength);
    }

    private Span<byte> Reserve(int length)
    {
        if (_overflowed || _buffer.Length - _position < length)
        {
            _overflowed = true;
            return Span<byte>.Empty;
        }

        var region = _buffer.Slice(_position, length);
        _position += length;
        return region;
    }

    // After an overflow, value writers still need somewhere to put their bytes; this thread-local
    // sink keeps the fast path branch-free without allocating per call.
    [ThreadStatic]
    private static byte[]? s_scratch;

    private static Span<byte> ScratchFor(int length)
    {
        var scratch = s_scratch;
        if (scratch is null || scratch.Length < length)
        {
            scratch = new byte[Math.Max(length, 256)];
            s_scratch = scratch;
        }

        return scratch.AsSpan(0, length);
    }

    private static void WriteHost16(Span<byte> destination, ushort value)
    {
        if (BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt16BigEndian(destination, value);
        }
    }

    private static void WriteHost32(Span<byte> destination, uint value)
    {
        if (BitConverter.IsLittleEndian)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(destination, value);
        }
        else
        {
            BinaryPrimitives.WriteUInt32BigEndian(destination, value);
        }
    }
}
