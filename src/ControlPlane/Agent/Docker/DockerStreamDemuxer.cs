using System.Buffers;
using System.Buffers.Binary;

namespace Minuet.ControlPlane.Agent.Docker;

/// <summary>
/// Splits Docker's multiplexed stdio stream (containers without a TTY): frames of an 8-byte header
/// <c>[stream, 0, 0, 0, size (big-endian u32)]</c> and <c>size</c> bytes; stream 1 = stdout, 2 = stderr
/// (0 = stdin echo, written to stdout).
/// </summary>
internal static class DockerStreamDemuxer
{
    /// <summary>Copies frames until the source ends; a truncated last frame is written as far as it goes.</summary>
    public static async Task CopyAsync(Stream source, Stream stdout, Stream stderr, CancellationToken cancellationToken)
    {
        var header = new byte[8];
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (await ReadFullAsync(source, header, cancellationToken).ConfigureAwait(false) == header.Length)
            {
                var target = header[0] == 2 ? stderr : stdout;
                long remaining = BinaryPrimitives.ReadUInt32BigEndian(header.AsSpan(4));
                while (remaining > 0)
                {
                    int read = await source.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, remaining)), cancellationToken).ConfigureAwait(false);
                    if (read == 0)
                    {
                        return;
                    }

                    await target.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    remaining -= read;
                }

                await target.FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task<int> ReadFullAsync(Stream source, byte[] into, CancellationToken cancellationToken)
    {
        int filled = 0;
        while (filled < into.Length)
        {
            int read = await source.ReadAsync(into.AsMemory(filled), cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                break;
            }

            filled += read;
        }

        return filled;
    }
}
