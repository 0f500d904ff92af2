using System.Globalization;
using System.Text;

namespace Minuet.DataPlane.Metrics;

/// <summary>
/// A Prometheus histogram with fixed upper bounds (e.g. seconds). <see cref="Observe"/> is lock-free: one
/// interlocked increment for the bucket and one compare-exchange loop for the sum.
/// </summary>
public sealed class MetricHistogram : IMetric
{
    private readonly string _help;
    private readonly double[] _bounds;
    private readonly long[] _buckets; // per bucket, not cumulative; last one is +Inf
    private long _sumBits;

    internal MetricHistogram(string name, string help, double[] upperBounds)
    {
        Name = name;
        _help = help;
        _bounds = upperBounds;
        _buckets = new long[upperBounds.Length + 1];
    }

    public string Name { get; }

    /// <summary>Latency buckets in seconds suited to a DNS server: 50 µs to 5 s.</summary>
    public static IReadOnlyList<double> DefaultLatencyBuckets { get; } =
        [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

    public long Count
    {
        get
        {
            long n = 0;
            for (int i = 0; i < _buckets.Length; i++)
            {
                n += Volatile.Read(ref _buckets[i]);
            }

            return n;
        }
    }

    public double Sum => BitConverter.Int64BitsToDouble(Volatile.Read(ref _sumBits));

    public void Observe(double value)
    {
        int i = 0;
        while (i < _bounds.Length && value > _bounds[i])
        {
            i++;
        }

        Interlocked.Increment(ref _buckets[i]);
        long seen = Volatile.Read(ref _sumBits);
        while (true)
        {
            long next = BitConverter.DoubleToInt64Bits(BitConverter.Int64BitsToDouble(seen) + value);
            long actual = Interlocked.CompareExchange(ref _sumBits, next, seen);
            if (actual == seen)
            {
                return;
            }

            seen = actual;
        }
    }

    public void WriteTo(StringBuilder output)
    {
        PrometheusText.WriteHeader(output, Name, _help, "histogram");
        long cumulative = 0;
        string bucketName = Name + "_bucket";
        for (int i = 0; i < _bounds.Length; i++)
        {
            cumulative += Volatile.Read(ref _buckets[i]);
            PrometheusText.WriteSample(
                output, bucketName, "le=\"" + _bounds[i].ToString("R", CultureInfo.InvariantCulture) + "\"", cumulative);
        }

        cumulative += Volatile.Read(ref _buckets[^1]);
        PrometheusText.WriteSample(output, bucketName, "le=\"+Inf\"", cumulative);
        PrometheusText.WriteSample(output, Name + "_sum", null, Sum);
        PrometheusText.WriteSample(output, Name + "_count", null, cumulative);
    }
}
