using System.Buffers;
using System.Globalization;
using System.Text;

namespace Minuet.ControlPlane.Api.V1;

/// <summary>
/// Mesos's RecordIO framing (docs/recordio.md, stout/recordio.hpp): each record is its payload's length in bytes as
/// decimal ASCII, a <c>\n</c>, then the payload. No trailer; a length is never 0.
/// </summary>
internal static class RecordIo
{
    /// <summary>Longest length prefix accepted (digits): 1 GiB records are far past anything sane.</summary>
    private const int MaxDigits = 10;

    /// <summary>Writes one record: <c>&lt;len&gt;\n&lt;payload&gt;</c>.</summary>
    public static byte[] Frame(ReadOnlySpan<byte> payload)
    {
        var prefix = Encoding.ASCII.GetBytes(payload.Length.ToString(CultureInfo.InvariantCulture) + "\n");
        var record = new byte[prefix.Length + payload.Length];
        prefix.CopyTo(record, 0);
        payload.CopyTo(record.AsSpan(prefix.Length));
        return record;
    }

    /// <summary>
    /// Takes one whole record from the front of <paramref name="buffer"/>. False when more bytes are needed (a record
    /// may arrive split over any number of reads, or several in one); <paramref name="error"/> set when the data can
    /// never be a record (a prefix that is not a positive decimal number).
    /// </summary>
    public static bool TryRead(ref ReadOnlySequence<byte> buffer, long maxRecord, out ReadOnlySequence<byte> payload, out string? error)
    {
        payload = default;
        error = null;
        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> digits, (byte)'\n'))
        {
            if (buffer.Length > MaxDigits)
            {
                error = $"record length prefix longer than {MaxDigits} characters without a newline";
            }

            return false;
        }

        if (digits.Length is 0 or > MaxDigits)
        {
            error = digits.Length == 0 ? "empty record length prefix" : $"record length prefix longer than {MaxDigits} characters";
            return false;
        }

        long length = 0;
        foreach (var segment in digits)
        {
            foreach (byte b in segment.Span)
            {
                if (b is < (byte)'0' or > (byte)'9')
                {
                    error = $"record length prefix is not a decimal number (byte 0x{b:x2})";
                    return false;
                }

                length = (length * 10) + (b - '0');
            }
        }

        if (length == 0 || length > maxRecord)
        {
            error = length == 0 ? "record length is 0" : $"record of {length} bytes is larger than the limit of {maxRecord}";
            return false;
        }

        if (reader.Remaining < length)
        {
            return false;
        }

        payload = buffer.Slice(reader.Position, length);
        buffer = buffer.Slice(payload.End);
        return true;
    }
}
