using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;

namespace Minuet.DataPlane.Metrics;

/// <summary>
/// A monotonically increasing count. Increments are lock-free and striped over padded cells chosen by the
/// current processor, so DNS workers on different cores do not fight over one cache line.
/// </summary>
public sealed class MetricCounter
{
    // 64-byte cells: one cache line each, so two cores never write the same line.
    private const int CellStride = 8;
    private static readonly int StripeCount = (int)Math.Min(64, System.Numerics.BitOperations.RoundUpToPowerOf2((uint)Environment.ProcessorCount));

    private readonly long[] _cells = new long[StripeCount * CellStride];

    /// <summary>Adds one.</summary>
    public void Increment() => Add(1);

    /// <summary>Adds <paramref name="value"/> (must not be negative: counters only go up).</summary>
    public void Add(long value)
    {
        int stripe = Thread.GetCurrentProcessorId() & (StripeCount - 1);
        Interlocked.Add(ref _cells[stripe * CellStride], value);
    }

    /// <summary>The sum over all stripes (a moment's reading; concurrent adds may or may not be included).</summary>
    public long Value
    {
        get
        {
            long sum = 0;
            ref long first = ref MemoryMarshal.GetArrayDataReference(_cells);
            for (int i = 0; i < StripeCount; i++)
            {
                sum += Volatile.Read(ref Unsafe.Add(ref first, i * CellStride));
            }

            return sum;
        }
    }

    internal void WriteSample(StringBuilder output, string name, string? labels)
    {
        PrometheusText.WriteSample(output, name, labels, Value);
    }
}
