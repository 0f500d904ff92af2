using System.Net;
using System.Net.Sockets;
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

    [NetnsFact]
    public void ReceiveAndVerdict_ManySyns_AllocateNothingPerPacket()
    {
        using var ns = NetnsScope.Create();
        ns.Exec("iptables -t raw -A OUTPUT -p tcp -d 127.0.0.1 --dport 9 --syn -j NFQUEUE --queue-num 70");
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var ready = new ManualResetEventSlim();

        var worker = Task.Factory.StartNew(
            () => ns.Run(() =>
            {
                NfqueueClient.TryOpen(70, new NfqueueOptions(), out var queue);
                ready.Set();
                using (queue)
                {
                    var handler = new AcceptAll { Queue = queue! };
                    long before = 0;
                    while (handler.Count < 150 && !stop.IsCancellationRequested)
                    {
                        if (handler.Count >= 50 && before == 0)
                        {
                            before = GC.GetAllocatedBytesForCurrentThread();
                        }

                        queue!.Receive(100, ref handler);
                    }

                    return (handler.Count, GC.GetAllocatedBytesForCurrentThread() - before);
                }
            }),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);
        Assert.True(ready.Wait(10_000, CancellationToken.None));

        ns.Run(() =>
        {
            // Each connect sends one SYN (queued, accepted, refused by the closed port with a RST).
            for (int i = 0; i < 150 && !worker.IsCompleted; i++)
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    socket.Connect(new IPEndPoint(IPAddress.Loopback, 9));
                }
                catch (SocketException)
                {
                }
            }

            return 0;
        });
        var (count, allocated) = worker.Result;
        stop.Cancel();

        Assert.Equal(150, count);
        Assert.Equal(0, allocated);
    }

    [NetnsFact]
    public void ReceiveBatch_SynsQueuedBeforeTheRead_AllDeliveredByOneCallWithoutAllocating()
    {
        using var ns = NetnsScope.Create();
        ns.Exec("iptables -t raw -A OUTPUT -p tcp -d 127.0.0.1 --dport 9 --syn -j NFQUEUE --queue-num 71");
        const int Syns = 5;
        var ready = new[] { new ManualResetEventSlim(), new ManualResetEventSlim() };
        var queued = new[] { new ManualResetEventSlim(), new ManualResetEventSlim() };

        var reader = Task.Factory.StartNew(
            () => ns.Run(() =>
            {
                NfqueueClient.TryOpen(71, new NfqueueOptions(), out var queue);
                using (queue)
                {
                    // Round 0 warms up (buffers made on first use, code compiled on first packet); round 1 is measured.
                    var results = new (NativeResult Received, int Count, long Allocated)[2];
                    for (int round = 0; round < 2; round++)
                    {
                        ready[round].Set();
                        queued[round].Wait(TimeSpan.FromSeconds(30));
                        var handler = new BatchCollector();
                        long before = GC.GetAllocatedBytesForCurrentThread();
                        var received = queue!.ReceiveBatch(5000, ref handler);
                        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
                        queue.SetVerdictBatch(handler.HighestId, NfqueueVerdict.Accept);
                        results[round] = (received, handler.Count, allocated);
                    }

                    return results[1];
                }
            }),
            CancellationToken.None,
            TaskCreationOptions.LongRunning,
            TaskScheduler.Default);

        var sockets = new List<Socket>();
        for (int round = 0; round < 2; round++)
        {
            Assert.True(ready[round].Wait(TimeSpan.FromSeconds(30)));
            sockets.AddRange(ns.Run(() =>
            {
                // A non-blocking connect returns once its SYN went through the OUTPUT hook, so each SYN is queued by then.
                var opened = new List<Socket>();
                for (int i = 0; i < Syns; i++)
                {
                    var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
                    try
                    {
                        socket.Connect(new IPEndPoint(IPAddress.Loopback, 9));
                    }
                    catch (SocketException e) when (e.SocketErrorCode == SocketError.WouldBlock)
                    {
                    }

                    opened.Add(socket);
                }

                return opened;
            }));
            queued[round].Set();
        }

        var (result, count, bytes) = reader.Result;
        sockets.ForEach(s => s.Dispose());

        Assert.True(result.IsSuccess, result.ToString());
        Assert.Equal(Syns, count);
        Assert.Equal(0, bytes);
    }

    private struct BatchCollector : INfqueuePacketHandler
    {
        public int Count;
        public uint HighestId;

        public void OnPacket(in NfqueuePacket packet)
        {
            Count++;
            HighestId = Math.Max(HighestId, packet.PacketId);
        }
    }

    private struct AcceptAll : INfqueuePacketHandler
    {
        public NfqueueClient Queue;
        public int Count;

        public void OnPacket(in NfqueuePacket packet)
        {
            if (PacketHeaders.TryParseIpv4(packet.Payload, out var flow) == PacketParseError.None && flow.IsInitialSyn)
            {
                Count++;
            }

            Queue.SetVerdict(packet.PacketId, NfqueueVerdict.Accept);
        }
    }
}
