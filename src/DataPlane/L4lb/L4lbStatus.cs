using Minuet.DataPlane.L4lb.Health;

namespace Minuet.DataPlane.L4lb;

/// <summary>What the HTTP API reads from the balancer: its table, options, metrics and clock.</summary>
internal sealed class L4lbStatus(VipBalancer balancer, L4lbOptions options, L4lbMetrics metrics, TimeProvider time)
{
    public VipBalancer Balancer { get; } = balancer;

    public L4lbOptions Options { get; } = options;

    public L4lbMetrics Metrics { get; } = metrics;

    public TimeProvider Time { get; } = time;

    public HealthOptions Health => Options.Health;

    /// <summary>Timestamp from which latency samples count as "last 60 s".</summary>
    public long LatencySince() =>
        Time.GetTimestamp() - (long)(Health.LatencyWindow.TotalSeconds * Time.TimestampFrequency);
}
