using Microsoft.Extensions.Logging.Abstractions;
using Minuet.DataPlane.L4lb;
using Minuet.DataPlane.L4lb.Health;
using Minuet.DataPlane.L4lb.Selection;
using Minuet.DataPlane.L4lb.Vips;
using Minuet.Native;
using Minuet.Native.Interop;
using Minuet.Native.Netlink.Conntrack;

namespace Minuet.DataPlane.Tests.L4lb.Health;

/// <summary>The event thread's turn, fed by a scripted source that can report lost events (ENOBUFS).</summary>
public class ConntrackHealthMonitorTests
{
    private static readonly IpPort Backend = new(0xC6120105u, 8080);

    private static ConntrackEntryInfo Entry(ConntrackEventType type, int port, TcpConntrackState state, ConntrackStatus status) =>
        new(type, new ConntrackTuple(0xC6120A01u, 0xC6130001u, (ushort)port, 80), new ConntrackTuple(Backend.Address, 0xC6120A01u, Backend.Port, (ushort)port), status, state, 1, 0, 0);

    [Fact]
    public void PollOnce_EventsLostWhilePending_ResyncedFromDumpCountedNotAFailure()
    {
        var registry = new BackendRegistry();
        var backend = registry.GetOrAdd(Backend);
        var tracker = new HealthTracker(registry, new HealthOptions { ConnectTimeout = TimeSpan.FromMilliseconds(200) }, TimeProvider.System);
        var metrics = new L4lbMetrics();
        var source = new ScriptedEvents();
        using var monitor = new ConntrackHealthMonitor(tracker, source, NullLogger.Instance, metrics);

        source.Next.Enqueue([Entry(ConntrackEventType.New, 40000, TcpConntrackState.SynSent, 0)]);
        monitor.PollOnce();
        Assert.Equal(1, tracker.PendingCount);

        // The SYN/ACK's update is lost in an overrun; the table still shows the flow established.
        source.Next.Enqueue(null);
        source.Table.Add(Entry(ConntrackEventType.New, 40000, TcpConntrackState.Established, ConntrackStatus.SeenReply | ConntrackStatus.Assured));
        monitor.PollOnce();
        Thread.Sleep(250);
        tracker.Sweep();

        Assert.Equal((1L, 0L), (backend.Successes, backend.Failures));
        Assert.Equal(1, monitor.Overruns);
        Assert.Equal(1, metrics.ConntrackEventOverruns);
        Assert.Equal(1, source.Dumps);
    }

    [Fact]
    public void PollOnce_SecondOverrunWithinASecond_NoSecondDumpAndNoFailureSweptMeanwhile()
    {
        var registry = new BackendRegistry();
        var backend = registry.GetOrAdd(Backend);
        var tracker = new HealthTracker(registry, new HealthOptions { ConnectTimeout = TimeSpan.FromMilliseconds(100) }, TimeProvider.System);
        var source = new ScriptedEvents();
        using var monitor = new ConntrackHealthMonitor(tracker, source, NullLogger.Instance);
        source.Next.Enqueue(null);
        monitor.PollOnce();
        Assert.Equal(1, source.Dumps);

        source.Next.Enqueue([Entry(ConntrackEventType.New, 40001, TcpConntrackState.SynSent, 0)]);
        source.Next.Enqueue(null);
        monitor.PollOnce();
        monitor.PollOnce();
        Thread.Sleep(200);
        monitor.PollOnce();

        Assert.Equal(1, source.Dumps);
        Assert.Equal(2, monitor.Overruns);
        Assert.Equal((0L, 1), (backend.Failures, tracker.PendingCount));
    }

    [Fact]
    public void PollOnce_ResetAnswersSyn_Failure()
    {
        var registry = new BackendRegistry();
        var backend = registry.GetOrAdd(Backend);
        var tracker = new HealthTracker(registry, HealthOptions.Default, TimeProvider.System);
        var source = new ScriptedEvents();
        using var monitor = new ConntrackHealthMonitor(tracker, source, NullLogger.Instance);

        source.Next.Enqueue([Entry(ConntrackEventType.New, 40000, TcpConntrackState.SynSent, 0)]);
        source.Next.Enqueue([Entry(ConntrackEventType.Update, 40000, TcpConntrackState.Close, ConntrackStatus.SeenReply)]);
        monitor.PollOnce();
        monitor.PollOnce();

        Assert.Equal((0L, 1L, 0), (backend.Successes, backend.Failures, tracker.PendingCount));
    }

    private sealed class ScriptedEvents : IConntrackEvents
    {
        /// <summary>Datagrams to hand out in order; null stands for ENOBUFS.</summary>
        public Queue<ConntrackEntryInfo[]?> Next { get; } = new();

        public List<ConntrackEntryInfo> Table { get; } = [];

        public int Dumps { get; private set; }

        public NativeResult Receive<THandler>(int timeoutMilliseconds, ref THandler handler)
            where THandler : struct, IConntrackEventHandler
        {
            if (!Next.TryDequeue(out var datagram))
            {
                return new NativeResult("conntrack events", Errno.ETIMEDOUT);
            }

            if (datagram is null)
            {
                return new NativeResult("conntrack events", Errno.ENOBUFS);
            }

            foreach (var entry in datagram)
            {
                handler.OnEvent(entry);
            }

            return NativeResult.Success("conntrack events");
        }

        public NativeResult Dump(List<ConntrackEntryInfo> entries)
        {
            Dumps++;
            entries.AddRange(Table);
            return NativeResult.Success("conntrack dump");
        }

        public void Dispose()
        {
        }
    }
}
