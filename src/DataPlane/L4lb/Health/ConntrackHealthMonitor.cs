using Microsoft.Extensions.Logging;
using Minuet.DataPlane.L4lb.Selection;
using Minuet.DataPlane.L4lb.Vips;
using Minuet.Native;
using Minuet.Native.Interop;
using Minuet.Native.Netlink.Conntrack;

namespace Minuet.DataPlane.L4lb.Health;

/// <summary>
/// Feeds the <see cref="HealthTracker"/> from conntrack events on a dedicated thread: NEW entries start pending
/// connections, an entry whose handshake got an answer is a success, one reset before that is a refusal (a
/// failure), DESTROY drops what is still pending. Between datagrams (at most every 50 ms) it sweeps for
/// connections past the reply threshold. When the kernel dropped events (ENOBUFS) it resyncs from a dump of
/// the table before the next sweep, so lost events become neither failures nor lost successes.
/// </summary>
internal sealed partial class ConntrackHealthMonitor : IDisposable
{
    private const int PollMilliseconds = 50;
    private const int MinResyncIntervalMilliseconds = 1000;

    private readonly HealthTracker _tracker;
    private readonly ILogger _logger;
    private readonly IConntrackEvents _events;
    private readonly L4lbMetrics? _metrics;
    private readonly Thread _thread;
    private readonly List<ConntrackEntryInfo> _dump = [];
    private volatile bool _stopping;
    private long _lastSweep = Environment.TickCount64;
    private long _lastResync = long.MinValue / 2;
    private bool _resyncDue;

    internal ConntrackHealthMonitor(HealthTracker tracker, IConntrackEvents events, ILogger logger, L4lbMetrics? metrics = null)
    {
        _tracker = tracker;
        _events = events;
        _logger = logger;
        _metrics = metrics;
        _thread = new Thread(Run) { IsBackground = true, Name = "minuet l4lb health" };
        tracker.Benched += OnBenched;
    }

    /// <summary>Times the kernel dropped events for us (ENOBUFS).</summary>
    public long Overruns { get; private set; }

    public static NativeResult TryStart(HealthTracker tracker, ILogger logger, L4lbMetrics? metrics, out ConntrackHealthMonitor? monitor)
    {
        monitor = null;
        var opened = KernelConntrackEvents.TryOpen(out var events);
        if (!opened.IsSuccess)
        {
            return opened;
        }

        monitor = new ConntrackHealthMonitor(tracker, events!, logger, metrics);
        monitor._thread.Start();
        return opened;
    }

    public void Dispose()
    {
        _stopping = true;
        if (_thread.IsAlive)
        {
            _thread.Join(TimeSpan.FromSeconds(2));
        }

        _tracker.Benched -= OnBenched;
        _events.Dispose();
    }

    private void OnBenched(BackendState backend) =>
        LogBenched(_logger, backend.Endpoint.ToString(), _tracker.Options.FailureThreshold, _tracker.Options.BenchPeriod.TotalSeconds);

    private void Run()
    {
        while (!_stopping)
        {
            PollOnce();
        }
    }

    /// <summary>One turn of the event thread: read a datagram (or resync after lost events), then sweep when due.</summary>
    internal void PollOnce()
    {
        var handler = new EventHandler(_tracker);
        var received = _events.Receive(PollMilliseconds, ref handler);
        if (received.Errno == Errno.ENOBUFS)
        {
            Overruns++;
            _metrics?.ConntrackEventOverrun1();
            _resyncDue = true;
        }
        else if (!received.IsSuccess && received.Errno is not (Errno.ETIMEDOUT or Errno.EAGAIN or Errno.EINTR))
        {
            string failure = received.ToString();
            LogReceiveFailed(_logger, failure);
            Thread.Sleep(PollMilliseconds);
        }

        long now = Environment.TickCount64;

        // A dump of a big table takes a while and more events are lost meanwhile: at most one resync a second, and
        // no sweep while one is due (a pending connection whose answer was lost must not time out as a failure).
        if (_resyncDue && now - _lastResync >= MinResyncIntervalMilliseconds)
        {
            _lastResync = now;
            _resyncDue = false;
            Resync();
        }

        if (!_resyncDue && now - _lastSweep >= PollMilliseconds)
        {
            _lastSweep = now;
            _tracker.Sweep();
        }
    }

    private void Resync()
    {
        _dump.Clear();
        var dumped = _events.Dump(_dump);
        if (!dumped.IsSuccess)
        {
            LogResyncFailed(_logger, dumped.ToString());
            return;
        }

        int decided = _tracker.Resync(_dump);
        LogResynced(_logger, _dump.Count, decided);
        _dump.Clear();
    }

    [LoggerMessage(EventId = 4101, Level = LogLevel.Warning,
        Message = "Backend {Backend} benched: {Threshold} connections in a row got no reply; no new connections for {Seconds} s unless every backend is benched")]
    private static partial void LogBenched(ILogger logger, string backend, int threshold, double seconds);

    [LoggerMessage(EventId = 4102, Level = LogLevel.Warning, Message = "Reading conntrack events failed: {Result}")]
    private static partial void LogReceiveFailed(ILogger logger, string result);

    [LoggerMessage(EventId = 4150, Level = LogLevel.Information, Message = "Conntrack events were lost (ENOBUFS): resynced from a dump of {Entries} entries, {Decided} pending connections decided")]
    private static partial void LogResynced(ILogger logger, int entries, int decided);

    [LoggerMessage(EventId = 4151, Level = LogLevel.Warning, Message = "Conntrack events were lost and the resync dump failed: {Result}")]
    private static partial void LogResyncFailed(ILogger logger, string result);

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

                    Judge(flow, entry);
                    break;
                case ConntrackEventType.Update:
                    Judge(flow, entry);
                    break;
                case ConntrackEventType.Destroy:
                    // The last word on a flow still pending may be in the destroy itself (reset, then gone).
                    if (!Judge(flow, entry))
                    {
                        tracker.OnDestroy(flow);
                    }

                    break;
            }
        }

        private bool Judge(in FlowTuple flow, in ConntrackEntryInfo entry)
        {
            switch (ConnectOutcomes.Classify(entry))
            {
                case ConnectOutcome.Answered:
                    tracker.OnReply(flow);
                    return true;
                case ConnectOutcome.Refused:
                    tracker.OnRefused(flow);
                    return true;
                default:
                    return false;
            }
        }
    }
}
