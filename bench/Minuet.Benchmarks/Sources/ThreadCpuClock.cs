using System.Runtime.InteropServices;

namespace Minuet.Benchmarks.Sources;

/// <summary>
/// CPU time of the calling thread (CLOCK_THREAD_CPUTIME_ID): on a machine shared by many busy processes, wall time
/// mostly measures waiting for a core, while this measures the work.
/// </summary>
internal static partial class ThreadCpuClock
{
    private const int ClockThreadCpuTimeId = 3;

    public static double NowMs()
    {
        return clock_gettime(ClockThreadCpuTimeId, out var ts) == 0 ? (ts.Seconds * 1000.0) + (ts.Nanoseconds / 1e6) : double.NaN;
    }

    [LibraryImport("libc", SetLastError = true)]
    private static partial int clock_gettime(int clockId, out Timespec time);

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
