namespace Minuet.Native.Netlink.Nfqueue;

/// <summary>
/// One queue's counters from /proc/net/netfilter/nfnetlink_queue: packets waiting, dropped by the kernel because the
/// queue was full (<see cref="QueueDropped"/>), dropped because our socket buffer was full (<see cref="UserDropped"/>).
/// </summary>
public readonly record struct NfqueueStatistics(ushort Queue, uint PortId, uint Waiting, byte CopyMode, uint CopyRange, uint QueueDropped, uint UserDropped, uint LastPacketId)
{
    /// <summary>The namespace of the calling thread (a thread that entered a namespace must not read /proc/net, which follows the main thread).</summary>
    public const string ThreadPath = "/proc/thread-self/net/netfilter/nfnetlink_queue";

    /// <summary>Reads the counters of <paramref name="queue"/> as the calling thread's namespace sees them; false if it is not bound.</summary>
    public static bool TryRead(ushort queue, out NfqueueStatistics statistics)
    {
        statistics = default;
        string text;
        try
        {
            text = File.ReadAllText(ThreadPath);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }

        return TryParse(text, queue, out statistics);
    }

    /// <summary>
    /// Finds the line of <paramref name="queue"/> in the proc file's text. Columns (net/netfilter/nfnetlink_queue.c
    /// seq_show): queue, peer port id, queue total, copy mode, copy range, queue dropped, user dropped, id sequence, 1.
    /// </summary>
    public static bool TryParse(string text, ushort queue, out NfqueueStatistics statistics)
    {
        ArgumentNullException.ThrowIfNull(text);
        statistics = default;
        foreach (var line in text.Split('\n'))
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 8 || !ushort.TryParse(fields[0], out ushort number) || number != queue)
            {
                continue;
            }

            if (uint.TryParse(fields[1], out uint portId) && uint.TryParse(fields[2], out uint waiting)
                && byte.TryParse(fields[3], out byte copyMode) && uint.TryParse(fields[4], out uint copyRange)
                && uint.TryParse(fields[5], out uint queueDropped) && uint.TryParse(fields[6], out uint userDropped)
                && uint.TryParse(fields[7], out uint lastId))
            {
                statistics = new NfqueueStatistics(number, portId, waiting, copyMode, copyRange, queueDropped, userDropped, lastId);
                return true;
            }
        }

        return false;
    }
}
