using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Minuet.DataPlane.L4lb.Selection;
using Minuet.Native;
using Minuet.Native.Interop;
using Minuet.Native.Netlink.Conntrack;
using Minuet.Native.Netlink.Nfqueue;

namespace Minuet.DataPlane.L4lb.Kernel;

/// <summary>
/// One NFQUEUE reader on its own thread (UDP datagrams: <c>QueueWorker.Udp.cs</c>): for each queued SYN it reads the 4-tuple, asks the balancer for a
/// backend, creates the conntrack entry with the DNAT (replacing a stale TIME_WAIT entry on EEXIST), and
/// then accepts every packet read in one wake-up with one batch verdict (the creates of a wake-up go in one send
/// too: <c>QueueWorker.Batch.cs</c>). Hairpin flows (see <see cref="HairpinSnat"/>)
/// also get a source NAT inside the entry. A retransmitted SYN finds the entry its first SYN created (EEXIST,
/// still in SYN_SENT) and keeps it, so it goes to the same backend. A SYN with no backend (or a failed create) is
/// accepted un-NATed, so the filter REJECT rule refuses it at once; under --fail-open it gets
/// <see cref="IptablesRules.RefuseMark"/> in its own verdict, which that REJECT matches. The queue is bound at
/// start but read only once the first VIP table is in (<paramref name="ready"/>): SYNs meanwhile wait in the
/// kernel's queue instead of meeting an empty table and being refused (a restart after kill -9 keeps the rules
/// and set in place, so SYNs do arrive then). Nothing is allocated per SYN.
/// </summary>
internal sealed partial class QueueWorker : IDisposable
{
    private const int PollMilliseconds = 100;

    /// <summary>
    /// Lifetime of the created entry until the kernel sees the flow progress: long enough for SYN retransmits
    /// (1 s, 3 s ...) to find it; once the handshake moves on, conntrack's own TCP timeouts take over.
    /// </summary>
    private const uint EntryTimeoutSeconds = 30;

    private readonly NfqueueClient _queue;
    private readonly ConntrackClient _conntrack;
    private readonly VipBalancer _balancer;
    private readonly HairpinSnat _hairpin;
    private readonly L4lbMetrics _metrics;
    private readonly ILogger _logger;
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _ready;
    private readonly bool _failOpen;
    private readonly bool _realTime;
    private volatile bool _stopping;

    private QueueWorker(NfqueueClient queue, ConntrackClient conntrack, VipBalancer balancer, HairpinSnat hairpin, L4lbMetrics metrics, ILogger logger, ManualResetEventSlim ready, bool failOpen, bool realTime)
    {
        _ready = ready;
        _failOpen = failOpen;
        _realTime = realTime;
        _hairpin = hairpin;
        _queue = queue;
        _conntrack = conntrack;
        _balancer = balancer;
        _metrics = metrics;
        _logger = logger;
        _thread = new Thread(Run) { IsBackground = true, Name = $"minuet nfqueue {queue.Queue}" };
    }

    public ushort Queue => _queue.Queue;

    /// <summary>Times the socket overflowed (ENOBUFS) on this queue.</summary>
    public long Overruns => _queue.OverrunCount;

    /// <param name="ready">Set once the first VIP table is applied; until then the bound queue is not read.</param>
    public static NativeResult TryStart(ushort queue, VipBalancer balancer, HairpinSnat hairpin, L4lbMetrics metrics, L4lbOptions options, ILogger logger, ManualResetEventSlim ready, out QueueWorker? worker)
    {
        worker = null;
        var queueOptions = new NfqueueOptions { FailOpen = options.FailOpen };
        var opened = NfqueueClient.TryOpen(queue, queueOptions, out var client);
        if (!opened.IsSuccess)
        {
            return opened;
        }

        var ct = ConntrackClient.TryOpen(out var conntrack);
        if (!ct.IsSuccess)
        {
            client!.Dispose();
            return ct;
        }

        // Room for the failure reports of a whole create batch (best effort: without it a lost report only costs
        // settling that batch entry by entry).
        conntrack!.SetReceiveBufferSize(1024 * 1024);

        worker = new QueueWorker(client!, conntrack!, balancer, hairpin, metrics, logger, ready, options.FailOpen, options.RealTimeQueueWorkers);
        worker._thread.Start();
        return opened;
    }

    public void Dispose()
    {
        _stopping = true;
        _thread.Join(TimeSpan.FromSeconds(2));
        _queue.Dispose();
        _conntrack.Dispose();
    }

    private void Run()
    {
        if (_realTime)
        {
            // Measured (run-bench.sh l4lb on a loaded 2-core VM): per-SYN decision p99 from 200-500 µs down to
            // 50 µs, connect p50 from 1.2-1.7x to 0.9-1.2x nft DNAT. The wait was the wake-up behind busy
            // threads, not the decision. Failure (no CAP_SYS_NICE) only costs that latency.
            var scheduled = ThreadScheduling.TryRealTime(1);
            if (!scheduled.IsSuccess)
            {
                string reason = scheduled.ToString();
                LogNotRealTime(_logger, Queue, reason);
            }
        }

        while (!_stopping && !_ready.Wait(PollMilliseconds))
        {
        }

        var handler = new PacketHandler(this);
        while (!_stopping)
        {
            handler.HighestId = 0;
            handler.Count = 0;
            _batchStarted = 0;
            var received = _queue.ReceiveBatch(PollMilliseconds, ref handler);
            if (_pendingCount > 0)
            {
                // Every entry is in the table before the verdict below lets its SYN on.
                CompletePending();
            }

            if (_batchStarted != 0)
            {
                _metrics.Wakeup1();
            }

            if (handler.Count > 0)
            {
                var verdict = _queue.SetVerdictBatch(handler.HighestId, NfqueueVerdict.Accept);
                if (!verdict.IsSuccess)
                {
                    _metrics.VerdictError1();
                    LogVerdictFailed(_logger, Queue, verdict.ToString());
                }
            }

            if (!received.IsSuccess)
            {
                if (received.Errno == Errno.ENOBUFS)
                {
                    _metrics.QueueOverrun1();
                }
                else if (received.Errno is not (Errno.ETIMEDOUT or Errno.EAGAIN or Errno.EINTR))
                {
                    LogReceiveFailed(_logger, Queue, received.ToString());
                    Thread.Sleep(PollMilliseconds);
                }
            }
        }
    }

    /// <summary>Decides one SYN. Returns true when the packet already got its own verdict (not part of the batch).</summary>
    private bool Decide(in NfqueuePacket packet)
    {
        // A SYN's decision time runs from the wake-up that read it, so waiting behind the others of its batch counts.
        long started = _batchStarted != 0 ? _batchStarted : (_batchStarted = Stopwatch.GetTimestamp());
        if (SynParser.TryParse(packet.Payload, out var flow) != SynParseError.None)
        {
            return false;
        }

        if (flow.Protocol == FlowTuple.Udp)
        {
            DecideUdp(flow, started);
            return false;
        }

        var backend = _balancer.Choose(flow);
        if (backend is null)
        {
            // Not NATed: the filter rule answers with a reset, so the client learns at once (unless --fail-open).
            if (_balancer.Current.Find(flow.DestinationAddress, flow.DestinationPort) is null)
            {
                _metrics.NotVip1();
            }
            else
            {
                _metrics.NoBackend1();
            }

            _metrics.RecordDecision(Stopwatch.GetTimestamp() - started);
            return _failOpen && Refuse(packet);
        }

        var original = new ConntrackTuple(flow.SourceAddress, flow.DestinationAddress, flow.SourcePort, flow.DestinationPort);
        var entry = ConntrackNatEntry.Dnat(original, backend.Endpoint.Address, backend.Endpoint.Port, EntryTimeoutSeconds) with
        {
            // Hairpin: the SNAT must live in the entry itself, since a DNAT entry created over ctnetlink gets a
            // null source binding and no nat-table rule ever applies to it.
            SourceNatAddress = _hairpin.SourceFor(flow.SourceAddress, backend.Endpoint.Address),
        };
        Defer(entry, flow);
        return false;
    }

    /// <summary>Accepts the SYN with the refuse mark, so the filter REJECT answers it with a reset (--fail-open).</summary>
    private bool Refuse(in NfqueuePacket packet)
    {
        var verdict = _queue.SetVerdict(packet.PacketId, NfqueueVerdict.Accept, packet.Mark | IptablesRules.RefuseMark);
        if (!verdict.IsSuccess)
        {
            _metrics.VerdictError1();
            return false;
        }

        return true;
    }

    [LoggerMessage(EventId = 4201, Level = LogLevel.Warning, Message = "Queue {Queue}: conntrack DNAT create failed: {Result}")]
    private static partial void LogNatFailed(ILogger logger, ushort queue, string result);

    [LoggerMessage(EventId = 4202, Level = LogLevel.Warning, Message = "Queue {Queue}: verdict failed: {Result}")]
    private static partial void LogVerdictFailed(ILogger logger, ushort queue, string result);

    [LoggerMessage(EventId = 4250, Level = LogLevel.Information, Message = "Queue {Queue}: worker stays in ordinary scheduling ({Result}); SYNs may wait longer for it under load")]
    private static partial void LogNotRealTime(ILogger logger, ushort queue, string result);

    [LoggerMessage(EventId = 4203, Level = LogLevel.Warning, Message = "Queue {Queue}: receive failed: {Result}")]
    private static partial void LogReceiveFailed(ILogger logger, ushort queue, string result);

    private struct PacketHandler(QueueWorker worker) : INfqueuePacketHandler
    {
        public uint HighestId;
        public int Count;

        public void OnPacket(in NfqueuePacket packet)
        {
            if (worker.Decide(packet))
            {
                return;
            }

            Count++;
            if (packet.PacketId > HighestId)
            {
                HighestId = packet.PacketId;
            }
        }
    }
}
