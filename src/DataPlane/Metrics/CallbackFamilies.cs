using System.Globalization;
using System.Text;

namespace Minuet.DataPlane.Metrics;

/// <summary>A counter family whose samples a component reports at scrape time (its own striped counters, for instance).</summary>
internal sealed class CallbackCounterFamily(
    string name, string help, string[] labelNames, Func<IEnumerable<KeyValuePair<string[], double>>> read) : IMetric
{
    public string Name => name;

    public void WriteTo(StringBuilder output)
    {
        PrometheusText.WriteHeader(output, name, help, "counter");
        foreach (var (labels, value) in read())
        {
            PrometheusText.WriteSample(output, name, labelNames.Length == 0 ? null : PrometheusText.FormatLabels(labelNames, labels), value);
        }
    }
}

/// <summary>A histogram whose buckets a component reports at scrape time (non-cumulative counts, last one above every bound).</summary>
internal sealed class CallbackHistogramFamily(
    string name, string help, double[] bounds, Func<(long[] Buckets, double Sum)> read) : IMetric
{
    public string Name => name;

    public void WriteTo(StringBuilder output)
    {
        var (buckets, sum) = read();
        PrometheusText.WriteHeader(output, name, help, "histogram");
        long cumulative = 0;
        for (int i = 0; i < bounds.Length; i++)
        {
            cumulative += i < buckets.Length ? buckets[i] : 0;
            PrometheusText.WriteSample(output, name + "_bucket", "le=\"" + bounds[i].ToString("R", CultureInfo.InvariantCulture) + "\"", cumulative);
        }

        for (int i = bounds.Length; i < buckets.Length; i++)
        {
            cumulative += buckets[i];
        }

        PrometheusText.WriteSample(output, name + "_bucket", "le=\"+Inf\"", cumulative);
        PrometheusText.WriteSample(output, name + "_sum", null, sum);
        PrometheusText.WriteSample(output, name + "_count", null, cumulative);
    }
}
