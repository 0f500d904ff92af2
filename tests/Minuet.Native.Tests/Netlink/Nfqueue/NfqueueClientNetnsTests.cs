using Minuet.Native.Interop;
using Minuet.Native.Netlink.Nfqueue;
using Minuet.Native.Tests.Support;
using Minuet.TestSupport;

namespace Minuet.Native.Tests.Netlink.Nfqueue;

public class NfqueueClientNetnsTests
{
    [NetnsFact]
    public void TryOpen_FailOpenQueue_KernelAcceptsConfigAndShowsTheQueue()
    {
        using var ns = NetnsScope.Create();

        var (opened, proc) = ns.Run(() =>
        {
            var result = NfqueueClient.TryOpen(61, new NfqueueOptions { FailOpen = true, CopyRange = 128, MaxQueueLength = 2048 }, out var queue);
            using (queue)
            {
                // Per namespace, and /proc/net follows the main thread: read this thread's view.
                // Columns: queue, port id, waiting, copy mode, copy range, dropped, user dropped, id sequence, 1.
                return (result, File.ReadAllText("/proc/thread-self/net/netfilter/nfnetlink_queue"));
            }
        });

        Assert.True(opened.IsSuccess, opened.ToString());
        var line = proc.Split('\n').Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)).Single(f => f.Length > 4 && f[0] == "61");
        Assert.Equal("2", line[3]);   // copy mode NFQNL_COPY_PACKET
        Assert.Equal("128", line[4]); // copy range
    }

    [NetnsFact]
    public void TryRead_BoundQueue_SeesItInTheThreadsNamespace()
    {
        using var ns = NetnsScope.Create();

        var (found, stats) = ns.Run(() =>
        {
            NfqueueClient.TryOpen(63, new NfqueueOptions { CopyRange = 96 }, out var queue);
            using (queue)
            {
                bool ok = NfqueueStatistics.TryRead(63, out var read);
                return (ok, read);
            }
        });

        Assert.True(found);
        Assert.Equal(96u, stats.CopyRange);
        Assert.Equal(0u, stats.QueueDropped);
    }

    [NetnsFact]
    public void TryOpen_QueueAlreadyBound_SecondReaderGetsEperm()
    {
        using var ns = NetnsScope.Create();

        var second = ns.Run(() =>
        {
            NfqueueClient.TryOpen(62, new NfqueueOptions(), out var first);
            using (first)
            {
                var result = NfqueueClient.TryOpen(62, new NfqueueOptions(), out var other);
                other?.Dispose();
                return result;
            }
        });

        // nfqnl_recv_config answers EPERM when the queue belongs to another socket's port id.
        Assert.Equal(new NativeResult("nfqueue bind", Errno.EPERM), second);
    }
}
