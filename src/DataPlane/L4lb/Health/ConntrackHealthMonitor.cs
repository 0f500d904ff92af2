using Microsoft.Extensions.Logging;
using Minuet.DataPlane.L4lb.Selection;
using Minuet.DataPlane.L4lb.Vips;
using Minuet.Native;
using Minuet.Native.Interop;
using Minuet.Native.Netlink.Conntrack;

namespace Minuet.DataPlane.L4lb.Health;

/// <summary>
/// Feeds the <see cref="HealthTracker"/> from conntrack events on a dedicated thread: NEW entries start pending
/// connections, an entry showing SEEN_REPLY is a success, DESTROY drops what is still pending. Between
/// datagrams (at most every 50 ms) it sweeps for connections past the reply threshold.
/// </summary>
internal sealed partial class ConntrackHealthMonitor : IDisposable
{
    private const int PollMilliseconds = 50;

    private readonly HealthTracker _tracker;
    private readonly ILogger _logger;
    private readonly ConntrackEventListener _listener;
    private readonly Thread _thread;
    private volatile bool _stopping;

    private ConntrackHealthMonitor(HealthTracker tracker, ConntrackEventListener listener, ILogger logger)
    {
        _tracker = tracker;
        _listener = listener;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = "minuet l4lb health" };
    }

    public long Overruns => _listener.OverrunCount;

    public static NativeResult TryStart(HealthTracker tracker, ILogger logger, out ConntrackHealthMonitor? monitor)
    {
        monitor = null;
        var opened = ConntrackEventListener.TryOpen(ConntrackEventGroups.All, out var listener);
        if (!opened.IsSuccess)
        {
            return opened;
        }

        monitor = new ConntrackHealthMonitor(tracker, listener!, logger);
        tracker.Benched += monitor.OnBenched;
        monitor._thread.Start();
        return opened;
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(2));
        _tracker.Benched -= OnBenched;
        _listener.Dispose();
    }

    private void OnBenched(BackendState backend) =>
        LogBenched(_logger, backend.Endpoint.ToString(), _tracker.Options.FailureThreshold, _tracker.Options.BenchPeriod.TotalSeconds);

    private void Run()
    {
        var handler = new EventHandler(_tracker);
        long lastSweep = Environment.TickCount64;
        while (!_stopping)
        {
            var received = _listener.Receive(PollMilliseconds, ref handler);
            if (!received.IsSuccess && received.Errno is not (Errno.ETIMEDOUT or Errno.EAGAIN or Errno.ENOBUFS or Errno.EINTR))
            {
                LogReceiveFailed(_logger, received.ToString());
                Thread.Sleep(PollMilliseconds);
            }

            long now = Environment.TickCount64;
            if (now - lastSweep >= PollMilliseconds)
            {
                lastSweep = now;
                _tracker.Sweep();
            }
        }
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning,
        Message = "Backend {Backend} benched: {Threshold} connections in a row got no reply; no new connections for {Seconds} s unless every backend is benched")]
    private static partial void LogBenched(ILogger logger, string backend, int threshold, double seconds);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Reading conntrack events failed: {Result}")]
    private static partial void LogReceiveFailed(ILogger logger, string result);

    private readonly struct EventHandler(HealthTracker tracker) : IConntrackEventHandler
    {
        public void OnEvent(in ConntrackEntryInfo entry)
        {
            if (entry.Original.Protocol != ConntrackTuple.Tcp)
            {
                return;
            }

            var o = entry.Original;
            var flow = new FlowTuple(o.SourceAddress, o.SourcePort, o.DestinationAddress, o.DestinationPort);
            switch (entry.EventType)
            {
                case ConntrackEventType.New:
                    if (entry.HasReply)
                    {
                        tracker.OnNew(flow, new IpPort(entry.Reply.SourceAddress, entry.Reply.SourcePort));
                    }

                    if ((entry.Status & ConntrackStatus.SeenReply) != 0)
                    {
                        tracker.OnReply(flow);
                    }

                    break;
                case ConntrackEventType.Update:
                    if ((entry.Status & ConntrackStatus.SeenReply) != 0)
                    {
                        tracker.OnReply(flow);
                    }

                    break;
                case ConntrackEventType.Destroy:
                    tracker.OnDestroy(flow);
                    break;
            }
        }
    }
}
