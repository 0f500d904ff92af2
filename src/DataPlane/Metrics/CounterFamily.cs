using System.Text;

namespace Minuet.DataPlane.Metrics;

/// <summary>A counter without labels, registered under one name.</summary>
internal sealed class CounterFamily(string name, string help, MetricCounter counter) : IMetric
{
    public string Name => name;

    public void WriteTo(StringBuilder output)
    {
        PrometheusText.WriteHeader(output, name, help, "counter");
        counter.WriteSample(output, name, null);
    }
}
