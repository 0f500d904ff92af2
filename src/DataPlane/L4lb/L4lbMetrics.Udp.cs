using Minuet.DataPlane.Metrics;

namespace Minuet.DataPlane.L4lb;

/// <summary>The UDP VIP counter: datagrams of flows whose entry was already in place.</summary>
internal sealed partial class L4lbMetrics
{
    private readonly MetricCounter _udpKnownFlows;

    public long UdpKnownFlows => _udpKnownFlows.Value;

    public void UdpKnownFlow1() => _udpKnownFlows.Increment();

    private static MetricCounter CreateUdpCounter(DataPlaneMetrics registry) => registry.CreateCounter(
        "minuet_l4lb_udp_known_flow_datagrams_total",
        "Queued UDP datagrams whose flow already had its DNAT entry (every datagram to a UDP VIP is queued; only a flow's first gets a new entry).");
}
