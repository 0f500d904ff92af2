using System.Globalization;

namespace Minuet.DataPlane.L4lb.Kernel;

/// <summary>
/// Per-queue drop counters from <c>/proc/net/netfilter/nfnetlink_queue</c> (of the reading process's network
/// namespace): <c>queue_dropped</c> counts packets dropped because the queue was full, <c>user_dropped</c>
/// those the kernel could not hand to the reader's socket. Columns: queue, portid, waiting, copy mode, copy
/// range, queue_dropped, user_dropped, last id, 1.
/// </summary>
internal static class NfqueueProcStats
{
    public const string Path = "/proc/net/netfilter/nfnetlink_queue";

    public static (long QueueDropped, long UserDropped) Read(int firstQueue, int count, string path = Path)
    {
        string[] lines;
        try
        {
            lines = File.ReadAllLines(path);
        }
        catch (IOException)
        {
            return (0, 0);
        }
        catch (UnauthorizedAccessException)
        {
            return (0, 0);
        }

        return Sum(lines, firstQueue, count);
    }

    internal static (long QueueDropped, long UserDropped) Sum(IEnumerable<string> lines, int firstQueue, int count)
    {
        long queueDropped = 0;
        long userDropped = 0;
        foreach (var line in lines)
        {
            var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length < 7 || !int.TryParse(fields[0], NumberStyles.None, CultureInfo.InvariantCulture, out int queue) ||
                queue < firstQueue || queue >= firstQueue + count)
            {
                continue;
            }

            queueDropped += long.TryParse(fields[5], NumberStyles.None, CultureInfo.InvariantCulture, out long q) ? q : 0;
            userDropped += long.TryParse(fields[6], NumberStyles.None, CultureInfo.InvariantCulture, out long u) ? u : 0;
        }

        return (queueDropped, userDropped);
    }
}
