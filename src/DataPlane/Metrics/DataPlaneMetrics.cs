using System.Text;

namespace Minuet.DataPlane.Metrics;

/// <summary>
/// The data plane's metric registry, rendered at <c>/metrics</c> in Prometheus text. Every part (sources, DNS
/// server, L4 balancer) creates its metrics here once at start-up and keeps the returned objects; increments are
/// lock-free. Names must be valid Prometheus names and unique; breaking that is a programming error and throws.
/// </summary>
public sealed class DataPlaneMetrics
{
    private readonly Lock _gate = new();
    private readonly List<IMetric> _metrics = [];
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    public MetricCounter CreateCounter(string name, string help)
    {
        var counter = new MetricCounter();
        Register(new CounterFamily(name, help, counter), name);
        return counter;
    }

    public LabelledCounter CreateLabelledCounter(string name, string help, params string[] labelNames)
    {
        ArgumentNullException.ThrowIfNull(labelNames);
        foreach (var label in labelNames)
        {
            if (!PrometheusText.IsValidName(label) || label.Contains(':', StringComparison.Ordinal))
            {
                throw new ArgumentException($"invalid label name '{label}' for metric {name}", nameof(labelNames));
            }
        }

        return Register(new LabelledCounter(name, help, [.. labelNames]), name);
    }

    /// <summary>A histogram with the given ascending upper bounds (default: <see cref="MetricHistogram.DefaultLatencyBuckets"/>).</summary>
    public MetricHistogram CreateHistogram(string name, string help, IReadOnlyList<double>? upperBounds = null)
    {
        double[] bounds = [.. upperBounds ?? MetricHistogram.DefaultLatencyBuckets];
        for (int i = 1; i < bounds.Length; i++)
        {
            if (!(bounds[i] > bounds[i - 1]))
            {
                throw new ArgumentException($"histogram {name}: bucket bounds must ascend", nameof(upperBounds));
            }
        }

        return Register(new MetricHistogram(name, help, bounds), name);
    }

    /// <summary>A gauge its owner sets.</summary>
    public MetricGauge CreateGauge(string name, string help) => Register(new MetricGauge(name, help, null), name);

    /// <summary>A gauge read from <paramref name="read"/> at every scrape (e.g. snapshot age).</summary>
    public MetricGauge CreateGauge(string name, string help, Func<double> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        return Register(new MetricGauge(name, help, read), name);
    }

    /// <summary>
    /// A counter family read at scrape time: <paramref name="read"/> returns (label values, value) pairs. For components
    /// that keep their own hot-path counters (e.g. per-worker stripes) and only need them rendered.
    /// </summary>
    public void CreateCallbackCounter(
        string name, string help, IReadOnlyList<string> labelNames, Func<IEnumerable<KeyValuePair<string[], double>>> read)
    {
        ArgumentNullException.ThrowIfNull(labelNames);
        ArgumentNullException.ThrowIfNull(read);
        Register(new CallbackCounterFamily(name, help, [.. labelNames], read), name);
    }

    /// <summary>A single counter read at scrape time.</summary>
    public void CreateCallbackCounter(string name, string help, Func<double> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        Register(new CallbackCounterFamily(name, help, [], () => [new KeyValuePair<string[], double>([], read())]), name);
    }

    /// <summary>A histogram read at scrape time: non-cumulative bucket counts (one per bound, then the overflow) and the sum.</summary>
    public void CreateCallbackHistogram(string name, string help, IReadOnlyList<double> upperBounds, Func<(long[] Buckets, double Sum)> read)
    {
        ArgumentNullException.ThrowIfNull(upperBounds);
        ArgumentNullException.ThrowIfNull(read);
        Register(new CallbackHistogramFamily(name, help, [.. upperBounds], read), name);
    }

    /// <summary>Every metric in registration order, as Prometheus text format 0.0.4.</summary>
    public string Render()
    {
        IMetric[] metrics;
        lock (_gate)
        {
            metrics = [.. _metrics];
        }

        var output = new StringBuilder(4096);
        foreach (var metric in metrics)
        {
            metric.WriteTo(output);
        }

        return output.ToString();
    }

    /// <summary>The content type to serve <see cref="Render"/> with.</summary>
    public static string ContentType => PrometheusText.ContentType;

    private T Register<T>(T metric, string name)
        where T : class
    {
        if (!PrometheusText.IsValidName(name))
        {
            throw new ArgumentException($"invalid metric name '{name}'", nameof(name));
        }

        lock (_gate)
        {
            if (!_names.Add(name))
            {
                throw new InvalidOperationException($"metric {name} is already registered");
            }

            _metrics.Add((IMetric)metric);
        }

        return metric;
    }
}
