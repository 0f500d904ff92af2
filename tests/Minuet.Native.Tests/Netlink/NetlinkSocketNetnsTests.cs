using Minuet.Native.Interop;
using Minuet.Native.Netlink;
using Minuet.Native.Netlink.Conntrack;
using Minuet.Native.Tests.Support;
using Minuet.TestSupport;

namespace Minuet.Native.Tests.Netlink;

public class NetlinkSocketNetnsTests
{
    [NetnsFact]
    public void Receive_NothingSent_ReturnsEtimedoutAsValue()
    {
        using var ns = NetnsScope.Create();

        var (result, elapsed) = ns.Run(() =>
        {
            NetlinkSocket.TryOpen(Nfnetlink.NetlinkNetfilter, out var socket);
            using (socket)
            {
                long start = Environment.TickCount64;
                var received = socket!.Receive(50, out _);
                return (received, Environment.TickCount64 - start);
            }
        });

        Assert.Equal(new NativeResult("netlink receive", Errno.ETIMEDOUT), result);
        Assert.InRange(elapsed, 40, 2000);
    }

    [NetnsFact]
    public void EventListener_SlowReaderWithTinyBuffer_ReportsEnobufsAndKeepsWorking()
    {
        using var ns = NetnsScope.Create();

        var (sawEnobufs, overruns, eventsAfter) = ns.Run(() =>
        {
            ConntrackEventListener.TryOpen(ConntrackEventGroups.New, out var listener, receiveBufferBytes: 4096);
            ConntrackClient.TryOpen(out var client);
            using (listener)
            using (client)
            {
                for (ushort port = 20000; port < 20400; port++)
                {
                    client!.Create(ConntrackNatEntry.Dnat(new ConntrackTuple(0xc6120001, 0xc613000a, port, 80), 0xc6120102, 8080, 60));
                }

                var counter = new Counter();
                bool enobufs = false;
                for (int i = 0; i < 1000; i++)
                {
                    var result = listener!.Receive(100, ref counter);
                    enobufs |= result.Errno == Errno.ENOBUFS;
                    if (result.Errno == Errno.ETIMEDOUT)
                    {
                        break;
                    }
                }

                // After the overrun the socket still delivers new events.
                counter.Count = 0;
                client!.Create(ConntrackNatEntry.Dnat(new ConntrackTuple(0xc6120001, 0xc613000a, 30000, 80), 0xc6120102, 8080, 60));
                listener!.Receive(1000, ref counter);
                return (enobufs, listener.OverrunCount, counter.Count);
            }
        });

        Assert.True(sawEnobufs);
        Assert.True(overruns >= 1);
        Assert.Equal(1, eventsAfter);
    }

    [NetnsFact]
    public void CreateAndDelete_SteadyState_AllocateNothingPerEntry()
    {
        using var ns = NetnsScope.Create();

        long allocated = ns.Run(() =>
        {
            ConntrackClient.TryOpen(out var client);
            using (client)
            {
                var warm = ConntrackNatEntry.Dnat(new ConntrackTuple(0xc6120001, 0xc613000a, 1000, 80), 0xc6120102, 8080, 60);
                client!.Create(warm);
                client.Delete(warm.Original);

                long before = GC.GetAllocatedBytesForCurrentThread();
                for (ushort port = 2000; port < 2500; port++)
                {
                    var entry = ConntrackNatEntry.Dnat(new ConntrackTuple(0xc6120001, 0xc613000a, port, 80), 0xc6120102, 8080, 60);
                    client.Create(entry);
                    client.Delete(entry.Original);
                }

                return GC.GetAllocatedBytesForCurrentThread() - before;
            }
        });

        Assert.Equal(0, allocated);
    }

    private struct Counter : IConntrackEventHandler
    {
        public int Count;

        public void OnEvent(in ConntrackEntryInfo entry) => Count++;
    }
}
