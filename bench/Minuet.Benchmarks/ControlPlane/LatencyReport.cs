using System.Globalization;

namespace Minuet.Benchmarks.ControlPlane;

/// <summary>Latency samples of one measured path plus the events that missed it (not seen within the bound).</summary>
internal sealed class LatencyReport(string what)
{
    private readonly List<double> _samples = [];

    public int Misses { get; private set; }

    public void Add(double milliseconds) => _samples.Add(milliseconds);

    public void Miss() => Misses++;

    public void Print(double goalMs)
    {
        int events = _samples.Count + Misses;
        if (_samples.Count == 0)
        {
            Console.WriteLine($"{what}: no samples, misses={Misses}/{events}");
            return;
        }

        var sorted = _samples.Order().ToArray();
        // A miss is slower than any sample: percentiles count it at the top, so misses can only raise p99.
        double P(double q)
        {
            int rank = Math.Min(events, Math.Max(1, (int)Math.Ceiling(q * events)));
            return rank > sorted.Length ? double.PositiveInfinity : sorted[rank - 1];
        }

        string F(double v) => double.IsPositiveInfinity(v) ? "miss" : v.ToString("0.0", CultureInfo.InvariantCulture) + " ms";
        Console.WriteLine(
            $"{what}: n={sorted.Length} misses={Misses} p50={F(P(0.5))} p95={F(P(0.95))} p99={F(P(0.99))} max(seen)={F(sorted[^1])}" +
            $" (goal p99 <= {goalMs:0} ms: {(P(0.99) <= goalMs ? "met" : "NOT met")})");
    }
}
