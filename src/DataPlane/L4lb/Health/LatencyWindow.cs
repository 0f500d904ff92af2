namespace Minuet.DataPlane.L4lb.Health;

/// <summary>
/// Connect-latency samples of one backend, kept in a fixed ring (no allocation per sample); a summary covers
/// the samples younger than the window. The ring is allocated on the first sample, so 100,000 idle backends
/// cost nothing. Written by the conntrack event thread, read by the API.
/// </summary>
internal sealed class LatencyWindow
{
    private const int Capacity = 512;
    private long[]? _timestamps;
    private double[]? _millis;
    private readonly Lock _gate = new();
    private int _next;
    private int _count;

    public void Add(long timestamp, double milliseconds)
    {
        lock (_gate)
        {
            _timestamps ??= new long[Capacity];
            _millis ??= new double[Capacity];
            _timestamps[_next] = timestamp;
            _millis[_next] = milliseconds;
            _next = (_next + 1) % Capacity;
            _count = Math.Min(_count + 1, Capacity);
        }
    }

    /// <summary>Summary of samples taken after <paramref name="since"/> (a TimeProvider timestamp), or null when none.</summary>
    public LatencySummary? Summarize(long since)
    {
        double[] samples;
        lock (_gate)
        {
            var list = new List<double>(_count);
            for (int i = 0; i < _count; i++)
            {
                if (_timestamps![i] >= since)
                {
                    list.Add(_millis![i]);
                }
            }

            samples = [.. list];
        }

        if (samples.Length == 0)
        {
            return null;
        }

        Array.Sort(samples);
        return new LatencySummary(
            samples.Length,
            samples.Average(),
            samples[0],
            samples[^1],
            Percentile(samples, 50),
            Percentile(samples, 75),
            Percentile(samples, 90),
            Percentile(samples, 95),
            Percentile(samples, 99),
            Percentile(samples, 99.9));
    }

    private static double Percentile(double[] sorted, double p)
    {
        int index = (int)Math.Ceiling(p / 100 * sorted.Length) - 1;
        return sorted[Math.Clamp(index, 0, sorted.Length - 1)];
    }
}

/// <summary>Connect latency over the window, in milliseconds (exometer histogram keys in the API).</summary>
internal sealed record LatencySummary(
    int Count, double Mean, double Min, double Max, double P50, double P75, double P90, double P95, double P99, double P999);
