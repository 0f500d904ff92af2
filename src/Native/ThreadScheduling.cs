using Minuet.Native.Interop;

namespace Minuet.Native;

/// <summary>Scheduling of the calling thread.</summary>
internal static class ThreadScheduling
{
    /// <summary>
    /// Puts the calling thread in SCHED_FIFO at <paramref name="priority"/>: when woken it runs at once instead of
    /// waiting for a time slice behind busy ordinary threads. Only for threads that block between short bursts
    /// of work (the kernel's real-time throttling still keeps 5% for everyone else). EPERM without CAP_SYS_NICE.
    /// </summary>
    public static unsafe NativeResult TryRealTime(int priority)
    {
        var param = new Interop.Interop.sched_param { sched_priority = priority };
        return Interop.Interop.SchedSetScheduler(0, Interop.Interop.SCHED_FIFO, &param) == 0
            ? NativeResult.Success("sched_setscheduler")
            : NativeResult.FromLastError("sched_setscheduler");
    }
}
