namespace Minuet.ControlPlane.Master.State;

/// <summary>
/// The last <see cref="Capacity"/> lock hold times of the master, written under its lock and read by benchmarks
/// and tests (a copy, so a reader never sees a half-written sample set).
/// </summary>
internal sealed class LockHoldSamples
{
    public const int Capacity = 8192;

    private readonly double[] _millis = new double[Capacity];
    private long _count;

    public long Count => Interlocked.Read(ref _count);

    public void Add(TimeSpan held)
    {
        _millis[(int)(_count % Capacity)] = held.TotalMilliseconds;
        Interlocked.Increment(ref _count);
    }

    /// <summary>Forgets every sample (a benchmark phase starts).</summary>
    public void Clear() => Interlocked.Exchange(ref _count, 0);

    /// <summary>The recent samples, sorted ascending.</summary>
    public double[] Sorted()
    {
        int n = (int)Math.Min(Count, Capacity);
        var copy = _millis.AsSpan(0, n).ToArray();
        Array.Sort(copy);
        return copy;
    }
}
