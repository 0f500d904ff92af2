using System.Collections.Concurrent;
using System.Text;

namespace Minuet.DataPlane.Metrics;

/// <summary>
/// A counter family with labels, e.g. <c>minuet_dns_queries_total{qtype="A",rcode="NOERROR"}</c>.
/// <see cref="WithLabels(string[])"/> looks the child up in a dictionary: hot paths fetch their children once
/// (e.g. into an array indexed by query type) and increment those.
/// </summary>
public sealed class LabelledCounter : IMetric
{
    private readonly string _help;
    private readonly string[] _labelNames;
    private readonly ConcurrentDictionary<string, MetricCounter> _children = new(StringComparer.Ordinal);

    internal LabelledCounter(string name, string help, string[] labelNames)
    {
        Name = name;
        _help = help;
        _labelNames = labelNames;
    }

    public string Name { get; }

    public IReadOnlyList<string> LabelNames => _labelNames;

    /// <summary>The child counter for these label values (in <see cref="LabelNames"/> order), created on first use.</summary>
    public MetricCounter WithLabels(params string[] values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Length != _labelNames.Length)
        {
            throw new ArgumentException(
                $"metric {Name} has {_labelNames.Length} labels ({string.Join(",", _labelNames)}), got {values.Length} values",
                nameof(values));
        }

        string key = PrometheusText.FormatLabels(_labelNames, values);
        return _children.GetOrAdd(key, static _ => new MetricCounter());
    }

    public void WriteTo(StringBuilder output)
    {
        PrometheusText.WriteHeader(output, Name, _help, "counter");
        foreach (var (labels, counter) in _children.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            counter.WriteSample(output, Name, labels);
        }
    }
}
