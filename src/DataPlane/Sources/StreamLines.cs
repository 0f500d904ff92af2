using System.Buffers;
using System.IO.Pipelines;

namespace Minuet.DataPlane.Sources;

/// <summary>Reads a newline-delimited stream (the master's endpoint stream) line by line, with an idle limit per read.</summary>
internal static class StreamLines
{
    /// <summary>
    /// Hands every non-empty line to <paramref name="onLine"/> until it returns false (true is returned then) or the
    /// stream ends (false). Each read re-arms <paramref name="idle"/> to cancel after <paramref name="idleTimeout"/>.
    /// </summary>
    public static async Task<bool> ReadAsync(Stream stream, CancellationTokenSource idle, TimeSpan idleTimeout, Func<ReadOnlySequence<byte>, bool> onLine)
    {
        var reader = PipeReader.Create(stream, new StreamPipeReaderOptions(bufferSize: 64 * 1024));
        try
        {
            while (true)
            {
                idle.CancelAfter(idleTimeout);
                var result = await reader.ReadAsync(idle.Token).ConfigureAwait(false);
                var buffer = result.Buffer;
                while (TryReadLine(ref buffer, out var line))
                {
                    if (line.Length > 0 && !onLine(line))
                    {
                        return true;
                    }
                }

                reader.AdvanceTo(buffer.Start, buffer.End);
                if (result.IsCompleted)
                {
                    return false;
                }
            }
        }
        finally
        {
            await reader.CompleteAsync().ConfigureAwait(false);
        }
    }

    private static bool TryReadLine(ref ReadOnlySequence<byte> buffer, out ReadOnlySequence<byte> line)
    {
        var newline = buffer.PositionOf((byte)'\n');
        if (newline is null)
        {
            line = default;
            return false;
        }

        line = buffer.Slice(0, newline.Value);
        buffer = buffer.Slice(buffer.GetPosition(1, newline.Value));
        return true;
    }
}
