using System.Text;

namespace Minuet.DataPlane.Metrics;

/// <summary>One metric family in a <see cref="DataPlaneMetrics"/> registry: it knows how to write itself as Prometheus text.</summary>
internal interface IMetric
{
    string Name { get; }

    void WriteTo(StringBuilder output);
}
