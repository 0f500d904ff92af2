using System.Buffers.Binary;

namespace Minuet.Native.Netlink;

/// <summary>One attribute: its type number (flags stripped), the flag bits, and its value bytes (no padding).</summary>
internal readonly ref struct NetlinkAttribute
{
    public NetlinkAttribute(ushort rawType, ReadOnlySpan<byte> value)
    {
        RawType = rawType;
        Value = value;
    }

    public ushort RawType { get; }

    public ushort Type => (ushort)(RawType & NetlinkAttributeFlags.TypeMask);

    public bool IsNested => (RawType & NetlinkAttributeFlags.Nested) != 0;

    public bool IsNetByteOrder => (RawType & NetlinkAttributeFlags.NetByteOrder) != 0;

    public ReadOnlySpan<byte> Value { get; }

    /// <summary>The attributes inside this one (whether or not the sender set NLA_F_NESTED, as the kernel allows).</summary>
    public NetlinkAttributeReader Nested => new(Value);

    public bool TryGetU8(out byte value)
    {
        value = Value.Length >= 1 ? Value[0] : (byte)0;
        return Value.Length >= 1;
    }

    public bool TryGetU16BigEndian(out ushort value)
    {
        bool ok = Value.Length >= 2;
        value = ok ? BinaryPrimitives.ReadUInt16BigEndian(Value) : (ushort)0;
        return ok;
    }

    public bool TryGetU32BigEndian(out uint value)
    {
        bool ok = Value.Length >= 4;
        value = ok ? BinaryPrimitives.ReadUInt32BigEndian(Value) : 0;
        return ok;
    }

    public bool TryGetU64BigEndian(out ulong value)
    {
        bool ok = Value.Length >= 8;
        value = ok ? BinaryPrimitives.ReadUInt64BigEndian(Value) : 0;
        return ok;
    }

    /// <summary>A host-order u32 (rare in nfnetlink, common in rtnetlink).</summary>
    public bool TryGetU32(out uint value)
    {
        bool ok = Value.Length >= 4;
        value = ok ? NetlinkMessageReader.ReadHost32(Value) : 0;
        return ok;
    }
}
