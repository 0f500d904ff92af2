using System.Diagnostics;

namespace Minuet.DataPlane.Metrics;

/// <summary>Process-level gauges every Prometheus client exposes: resident memory, managed heap, CPU time, GCs.</summary>
public static class ProcessMetrics
{
    public static void Register(DataPlaneMetrics metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        metrics.CreateGauge("process_resident_memory_bytes", "Resident memory size in bytes.", () => Environment.WorkingSet);
        metrics.CreateGauge("dotnet_gc_heap_bytes", "Bytes in the managed heap after the last collection.", () => GC.GetGCMemoryInfo().HeapSizeBytes);
        metrics.CreateGauge("dotnet_gc_allocated_bytes", "Bytes allocated on the managed heap since start.", () => GC.GetTotalAllocatedBytes());
        metrics.CreateCallbackCounter("process_cpu_seconds_total", "User and system CPU time in seconds.", () =>
        {
            using var process = Process.GetCurrentProcess();
            return process.TotalProcessorTime.TotalSeconds;
        });
        metrics.CreateCallbackCounter(
            "dotnet_gc_collections_total", "Garbage collections by generation.", ["generation"],
            () => Enumerable.Range(0, GC.MaxGeneration + 1)
                .Select(g => new KeyValuePair<string[], double>([g.ToString(System.Globalization.CultureInfo.InvariantCulture)], GC.CollectionCount(g))));
    }
}
