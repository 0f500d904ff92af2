using System.Runtime.InteropServices;

namespace Minuet.Native.Interop;

internal static partial class Interop
{
    internal const int SCHED_OTHER = 0;
    internal const int SCHED_FIFO = 1;

    /// <summary>struct sched_param: one int, the static priority (1..99 for the real-time policies).</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct sched_param
    {
        public int sched_priority;
    }

    /// <summary>pid 0 is the calling thread (Linux applies the policy per thread).</summary>
    [LibraryImport(Libraries.Libc, EntryPoint = "sched_setscheduler", SetLastError = true)]
    internal static unsafe partial int SchedSetScheduler(int pid, int policy, sched_param* param);
}
