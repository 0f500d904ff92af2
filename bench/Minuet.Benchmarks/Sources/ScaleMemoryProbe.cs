using System.Diagnostics;
using System.Runtime;

namespace Minuet.Benchmarks.Sources;

/// <summary>
/// <c>scale-memory [TASKS]</c>: holds a cluster of TASKS tasks (default 100,000, about 16,700 named VIPs) the way
/// the data plane's push path does (records, compiled answers, VIP table, routes), applies 200 one-task changes,
/// and prints the time per change and the process RSS after a compacting collection (issue 12 goal: 300 MB).
/// </summary>
internal static class ScaleMemoryProbe
{
    public const string Verb = "scale-memory";

    public static int Run(string[] args)
    {
        int tasks = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        long start = Stopwatch.GetTimestamp();
        var state = ScaleCluster.Parse(tasks);
        double parseMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        start = Stopwatch.GetTimestamp();
        var cluster = new ScaleCluster(state);
        double buildMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        var (original, moved) = cluster.SampleChange();
        var times = new List<double>();
        for (int i = 0; i < 200; i++)
        {
            start = Stopwatch.GetTimestamp();
            cluster.Apply([i % 2 == 0 ? moved : original]);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
        GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        long heap = GC.GetTotalMemory(forceFullCollection: false);
        long rss = Environment.WorkingSet;
        times.Sort();
        Console.WriteLine($"scale: {tasks} tasks, {cluster.Table.Routes.Length} VIPs, {cluster.Index.Names.Count} DNS names");
        Console.WriteLine($"  parse {parseMs:F0} ms, full build (records + answers + VIPs + routes) {buildMs:F0} ms");
        Console.WriteLine($"  one task change x200: p50 {times[100]:F2} ms, p99 {times[197]:F2} ms, max {times[^1]:F2} ms (first {times.Count} sorted; goal p50 <= 5 ms)");
        Console.WriteLine($"  held: GC heap {heap / 1048576.0:F0} MB, RSS {rss / 1048576.0:F0} MB (goal <= 300 MB; includes the parsed state)");
        GC.KeepAlive(cluster);
        return 0;
    }
}
