using System.Buffers.Binary;

namespace Minuet.DataPlane.Dns.Codec;

/// <summary>
/// Writes a DNS message into a span, compressing names against every name written before (RFC 1035 4.1.4).
/// Running out of space does not throw: writing stops and <see cref="Overflowed"/> turns true, so a caller
/// checks once at the end. <see cref="Length"/> is the last complete write.
/// </summary>
internal ref struct DnsMessageWriter
{
    // Pointers are 14 bits: only label starts below this offset can be compression targets.
    private const int MaxPointerTarget = 0x3FFF;

    private readonly Span<byte> _buffer;
    private readonly Span<ushort> _labelOffsets;
    private int _labelCount;
    private int _wholeNameTarget;

    /// <param name="buffer">Destination.</param>
    /// <param name="labelOffsets">Scratch for the offsets of labels written so far; more labels than fit are simply not offered for compression.</param>
    public DnsMessageWriter(Span<byte> buffer, Span<ushort> labelOffsets)
    {
        _buffer = buffer;
        _labelOffsets = labelOffsets;
        _labelCount = 0;
        _wholeNameTarget = -1;
        Length = 0;
        Overflowed = false;
    }

    public int Length { get; private set; }

    public bool Overflowed { get; private set; }

    public readonly Span<byte> Written => _buffer[..Length];

    public void WriteHeader(in DnsHeader header)
    {
        if (Reserve(DnsHeader.Size, out var span))
        {
            header.Write(span);
        }
    }

    public void WriteUInt16(ushort value)
    {
        if (Reserve(2, out var span))
        {
            BinaryPrimitives.WriteUInt16BigEndian(span, value);
        }
    }

    public void WriteUInt32(uint value)
    {
        if (Reserve(4, out var span))
        {
            BinaryPrimitives.WriteUInt32BigEndian(span, value);
        }
    }

    public void WriteBytes(ReadOnlySpan<byte> bytes)
    {
        if (Reserve(bytes.Length, out var span))
        {
            bytes.CopyTo(span);
        }
    }

    /// <summary>Offers the name written at <paramref name="offset"/> as a compression target for identical whole names only.</summary>
    public void AddWholeNameTarget(int offset) => _wholeNameTarget = offset;

    /// <summary>
    /// Writes an uncompressed wire name, replacing its longest already-written suffix by a pointer when
    /// <paramref name="compress"/>; its labels become targets for later names when <paramref name="offer"/>.
    /// </summary>
    public void WriteName(ReadOnlySpan<byte> name, bool compress = true, bool offer = true)
    {
        int pos = 0;
        if (compress && _wholeNameTarget >= 0 && MatchesAt(_wholeNameTarget, name))
        {
            WriteUInt16((ushort)(0xC000 | _wholeNameTarget));
            return;
        }

        while (pos < name.Length && name[pos] != 0)
        {
            if (compress)
            {
                int target = FindSuffix(name[pos..]);
                if (target >= 0)
                {
                    WriteUInt16((ushort)(0xC000 | target));
                    return;
                }
            }

            int labelStart = Length;
            int len = name[pos];
            WriteBytes(name.Slice(pos, 1 + len));
            if (offer && !Overflowed && labelStart <= MaxPointerTarget && _labelCount < _labelOffsets.Length)
            {
                _labelOffsets[_labelCount++] = (ushort)labelStart;
            }

            pos += 1 + len;
        }

        WriteBytes([0]);
    }

    public void WriteQuestion(ReadOnlySpan<byte> name, DnsRecordType type, ushort qclass)
    {
        WriteName(name);
        WriteUInt16((ushort)type);
        WriteUInt16(qclass);
    }

    /// <summary>Writes owner, type, class and TTL, and returns where RDLENGTH goes (fill it with <see cref="EndRdata"/>).</summary>
    public int BeginRecord(ReadOnlySpan<byte> owner, DnsRecordType type, ushort rclass, uint ttl)
    {
        WriteName(owner);
        WriteUInt16((ushort)type);
        WriteUInt16(rclass);
        WriteUInt32(ttl);
        int lengthAt = Length;
        WriteUInt16(0);
        return lengthAt;
    }

    public readonly void EndRdata(int lengthAt)
    {
        if (!Overflowed)
        {
            BinaryPrimitives.WriteUInt16BigEndian(_buffer[lengthAt..], (ushort)(Length - lengthAt - 2));
        }
    }

    /// <summary>Overwrites the header's section counts (after records were added).</summary>
    public readonly void PatchCounts(ushort qd, ushort an, ushort ns, ushort ar)
    {
        if (_buffer.Length < DnsHeader.Size)
        {
            return;
        }

        BinaryPrimitives.WriteUInt16BigEndian(_buffer[4..], qd);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[6..], an);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[8..], ns);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[10..], ar);
    }

    private bool Reserve(int count, out Span<byte> span)
    {
        if (Overflowed || Length + count > _buffer.Length)
        {
            Overflowed = true;
            span = default;
            return false;
        }

        span = _buffer.Slice(Length, count);
        Length += count;
        return true;
    }

    // Finds an earlier label sequence equal (ignoring case) to the given uncompressed suffix.
    private readonly int FindSuffix(ReadOnlySpan<byte> suffix)
    {
        for (int i = 0; i < _labelCount; i++)
        {
            if (MatchesAt(_labelOffsets[i], suffix))
            {
                return _labelOffsets[i];
            }
        }

        return -1;
    }

    private readonly bool MatchesAt(int offset, ReadOnlySpan<byte> suffix)
    {
        int pos = offset;
        int s = 0;
        // Bounded: names written here only point backwards, and a name has at most 127 labels.
        for (int guard = 0; guard < 256; guard++)
        {
            byte b = _buffer[pos];
            if ((b & 0xC0) == 0xC0)
            {
                pos = ((b & 0x3F) << 8) | _buffer[pos + 1];
                continue;
            }

            if (b != suffix[s])
            {
                return false;
            }

            if (b == 0)
            {
                return true;
            }

            for (int k = 1; k <= b; k++)
            {
                if (DnsName.ToLower(_buffer[pos + k]) != DnsName.ToLower(suffix[s + k]))
                {
                    return false;
                }
            }

            pos += 1 + b;
            s += 1 + b;
        }

        return false;
    }
}
