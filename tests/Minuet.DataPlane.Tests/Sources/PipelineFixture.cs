using Microsoft.Extensions.Logging.Abstractions;
using Minuet.DataPlane.Dns.Records;
using Minuet.DataPlane.Metrics;
using Minuet.DataPlane.Model;
using Minuet.DataPlane.Sources;

namespace Minuet.DataPlane.Tests.Sources;

/// <summary>A pipeline with its store, health and metrics, wired as the host wires them.</summary>
internal sealed class PipelineFixture
{
    public PipelineFixture(IVipProgrammer? vips = null)
    {
        Metrics = new DataPlaneMetrics();
        Health = new SourceHealth(Metrics);
        Pipeline = new SnapshotPipeline(Store, new DnsRecordBuilder(new DnsRecordOptions()), vips, Health, NullLogger<SnapshotPipeline>.Instance);
    }

    public SnapshotStore Store { get; } = new();

    public DataPlaneMetrics Metrics { get; }

    public SourceHealth Health { get; }

    public SnapshotPipeline Pipeline { get; }

    public long ErrorCount(string kind) => Health.Errors.WithLabels(kind).Value;

    /// <summary>Polls until <paramref name="condition"/> holds; bounded so a broken watcher fails instead of hanging.</summary>
    public static async Task<bool> EventuallyAsync(Func<bool> condition, int timeoutMs = 10_000)
    {
        for (int waited = 0; waited < timeoutMs; waited += 25)
        {
            if (condition())
            {
                return true;
            }

            await Task.Delay(25);
        }

        return condition();
    }
}
