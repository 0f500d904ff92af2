using System.Diagnostics;
using Minuet.DataPlane.L4lb.Selection;
using Minuet.DataPlane.L4lb.Vips;
using Minuet.Native.Interop;
using Minuet.Native.Netlink.Conntrack;

namespace Minuet.DataPlane.L4lb.Kernel;

/// <summary>
/// UDP VIPs. Every datagram to a UDP VIP is queued: the raw table runs before conntrack, so the rule cannot tell
/// a flow's first datagram from its later ones. The worker therefore first reads the flow's entry: one that
/// DNATs to a backend the VIP still balances to is the flow's own, and the datagram is accepted onto it. Anything
/// else (no entry; an un-NATed one left by datagrams sent before the VIP existed, which each datagram would keep
/// alive; or one pointing at a backend that left or stopped taking new flows) is replaced by a fresh DNAT entry
/// to a chosen backend, so a long-lived client socket is never stuck on a stale path.
/// </summary>
internal sealed partial class QueueWorker
{
    private void DecideUdp(in FlowTuple flow, long started)
    {
        var route = _balancer.Current.Find(flow.DestinationAddress, flow.DestinationPort, VipProtocol.Udp);
        var original = new ConntrackTuple(flow.SourceAddress, flow.DestinationAddress, flow.SourcePort, flow.DestinationPort, ConntrackTuple.Udp);
        var existing = _conntrack.Get(original, out var entryInfo);
        if (route is not null && existing.IsSuccess && IsLiveFlow(route, entryInfo))
        {
            _metrics.UdpKnownFlow1();
            _metrics.RecordDecision(Stopwatch.GetTimestamp() - started);
            return;
        }

        var backend = route is null ? null : _balancer.Policy.Choose(route, flow);
        if (backend is null)
        {
            // Not NATed: the filter rule answers ICMP port unreachable (unless --fail-open).
            if (route is null)
            {
                _metrics.NotVip1();
            }
            else
            {
                _metrics.NoBackend1();
            }

            _metrics.RecordDecision(Stopwatch.GetTimestamp() - started);
            return;
        }

        var entry = ConntrackNatEntry.Dnat(original, backend.Endpoint.Address, backend.Endpoint.Port, EntryTimeoutSeconds) with
        {
            SourceNatAddress = _hairpin.SourceFor(flow.SourceAddress, backend.Endpoint.Address),
        };
        if (existing.IsSuccess)
        {
            _metrics.StaleEntryReplaced1();
            _conntrack.Delete(original);
        }

        var created = _conntrack.Create(entry);
        if (created.Errno == Errno.EEXIST)
        {
            created = _conntrack.CreateReplacingStale(entry);
        }

        if (created.IsSuccess)
        {
            _metrics.Natted1();
        }
        else
        {
            _metrics.NatError1();
            LogNatFailed(_logger, Queue, created.ToString());
        }

        _metrics.RecordDecision(Stopwatch.GetTimestamp() - started);
    }

    /// <summary>The entry DNATs to a backend that still takes new flows of this VIP (allocation-free scan).</summary>
    private static bool IsLiveFlow(VipRoute route, in ConntrackEntryInfo entry)
    {
        if ((entry.Status & ConntrackStatus.DstNat) == 0 || !entry.HasReply)
        {
            return false;
        }

        foreach (var backend in route.Active)
        {
            if (backend.Endpoint.Address == entry.Reply.SourceAddress && backend.Endpoint.Port == entry.Reply.SourcePort)
            {
                return true;
            }
        }

        return false;
    }
}
