using System.Diagnostics;
using Minuet.DataPlane.L4lb.Selection;
using Minuet.Native;
using Minuet.Native.Interop;
using Minuet.Native.Netlink.Conntrack;

namespace Minuet.DataPlane.L4lb.Kernel;

/// <summary>
/// The SYNs of one wake-up get their DNAT entries in one ctnetlink send without ACKs
/// (<see cref="ConntrackClient.CreateBatchUnacknowledged"/>): the kernel creates them inside that send and answers
/// only failures, which one non-blocking read collects. Measured before this (L4LB_STRACE=1 run-bench.sh l4lb):
/// six syscalls per SYN (poll, recv, send create, poll, recv ACK, send verdict); now a wake-up costs poll,
/// recvmmsg, one create send, one empty read and one verdict send, however many SYNs it read (1.5 SYNs per
/// wake-up at the benchmark's 32 concurrent connects, more when the worker falls behind).
/// A create that met EEXIST takes the old path: a retransmit keeps its entry, a stale entry is replaced.
/// </summary>
internal sealed partial class QueueWorker
{
    private readonly ConntrackNatEntry[] _pendingEntries = new ConntrackNatEntry[ConntrackClient.MaxBatch];
    private readonly FlowTuple[] _pendingFlows = new FlowTuple[ConntrackClient.MaxBatch];
    private readonly Errno[] _pendingResults = new Errno[ConntrackClient.MaxBatch];
    private int _pendingCount;
    private long _batchStarted;

    private void Defer(in ConntrackNatEntry entry, in FlowTuple flow)
    {
        if (_pendingCount == _pendingEntries.Length)
        {
            // More packets than one create batch holds came in one wake-up (several per datagram): settle these first.
            CompletePending();
        }

        _pendingEntries[_pendingCount] = entry;
        _pendingFlows[_pendingCount] = flow;
        _pendingCount++;
    }

    private void CompletePending()
    {
        int count = _pendingCount;
        _pendingCount = 0;
        var entries = _pendingEntries.AsSpan(0, count);
        var results = _pendingResults.AsSpan(0, count);
        var created = _conntrack.CreateBatchUnacknowledged(entries, results);
        if (!created.IsSuccess)
        {
            // Failure reports were lost (ENOBUFS) or the send failed: settle each entry on its own, with an ACK. One the
            // batch did create answers EEXIST and is then recognised as this SYN's own entry below.
            _metrics.NatBatchFallback1();
            for (int i = 0; i < count; i++)
            {
                results[i] = _conntrack.Create(entries[i]).Errno;
            }
        }

        for (int i = 0; i < count; i++)
        {
            Settle(entries[i], _pendingFlows[i], results[i]);
        }

        _metrics.RecordDecisions(Stopwatch.GetTimestamp() - _batchStarted, count);
    }

    private void Settle(in ConntrackNatEntry entry, in FlowTuple flow, Errno errno)
    {
        if (errno == Errno.EEXIST)
        {
            if (_conntrack.Get(entry.Original, out var existing).IsSuccess && RetransmittedSyn.KeepsEntry(existing, flow))
            {
                // The first SYN of this 5-tuple made the entry: the retransmit follows it to the same backend.
                _metrics.Retransmit1();
                return;
            }

            _metrics.StaleEntryReplaced1();
            errno = _conntrack.CreateReplacingStale(entry).Errno;
        }

        if (errno == Errno.None)
        {
            _metrics.Natted1();
        }
        else
        {
            _metrics.NatError1();
            LogNatFailed(_logger, Queue, new NativeResult("conntrack create", errno).ToString());
        }
    }
}
