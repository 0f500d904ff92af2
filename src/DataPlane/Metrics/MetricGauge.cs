using System.Text;

namespace Minuet.DataPlane.Metrics;

/// <summary>A value that goes up and down: either set by its owner or read from a callback at scrape time.</summary>
public sealed class MetricGauge : IMetric
{
    private readonly string _help;
    private readonly Func<double>? _read;
    private long _bits;

    internal MetricGauge(string name, string help, Func<double>? read)
    {
        Name = name;
        _help = help;
        _read = read;
    }

    public string Name { get; }

    /// <summary>The current value (the callback's answer for callback gauges).</summary>
    public double Value => _read?.Invoke() ?? BitConverter.Int64BitsToDouble(Volatile.Read(ref _bits));

    /// <summary>Sets the value; ignored for callback gauges.</summary>
    public void Set(double value) => Volatile.Write(ref _bits, BitConverter.DoubleToInt64Bits(value));

    public void WriteTo(StringBuilder output)
    {
        PrometheusText.WriteHeader(output, Name, _help, "gauge");
        PrometheusText.WriteSample(output, Name, null, Value);
    }
}
