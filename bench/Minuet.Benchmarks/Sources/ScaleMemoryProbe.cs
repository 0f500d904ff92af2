using System.Diagnostics;
using System.Runtime;

namespace Minuet.Benchmarks.Sources;

/// <summary>
/// <c>scale-memory [TASKS] [--settle SECONDS] [--hold]</c>: holds a cluster of TASKS tasks (default 100,000, about 16,700 named VIPs) the way
/// the data plane's push path does (records, compiled answers, VIP table, routes), applies 200 one-task changes,
/// and prints the time per change and the process RSS after a compacting collection (goal: 300 MB).
/// </summary>
internal static class ScaleMemoryProbe
{
    public const string Verb = "scale-memory";

    // Twice: arrays the shared array pool lets go of in its callback after a full collection are only freed by the
    // next one (a heap dump after a single collection still showed the JSON parser's tables, unreachable).
    private static void FullCollect()
    {
        for (int i = 0; i < 2; i++)
        {
            GCSettings.LargeObjectHeapCompactionMode = GCLargeObjectHeapCompactionMode.CompactOnce;
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
    }

    public static int Run(string[] args)
    {
        int tasks = args.Length > 0 ? int.Parse(args[0], System.Globalization.CultureInfo.InvariantCulture) : 100_000;
        long start = Stopwatch.GetTimestamp();
        var state = ScaleCluster.Parse(tasks);
        double parseMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        FullCollect();
        long stateHeap = GC.GetTotalMemory(forceFullCollection: false);
        start = Stopwatch.GetTimestamp();
        var cluster = new ScaleCluster(state);
        double buildMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        var rebuild = new double[4];
        const int Rebuilds = 3;
        for (int i = 0; i < Rebuilds; i++)
        {
            cluster.Rebuild(rebuild);
        }

        var (original, moved) = cluster.SampleChange();
        start = Stopwatch.GetTimestamp();
        cluster.Apply([moved]);
        double firstMs = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        var times = new List<double>();
        var cpuTimes = new List<double>();
        var phases = new double[4];
        int[] gcs = [GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2)];
        for (int i = 0; i < 200; i++)
        {
            start = Stopwatch.GetTimestamp();
            double cpu = ThreadCpuClock.NowMs();
            cluster.Apply([i % 2 == 0 ? original : moved], phases);
            cpuTimes.Add(ThreadCpuClock.NowMs() - cpu);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        gcs = [GC.CollectionCount(0) - gcs[0], GC.CollectionCount(1) - gcs[1], GC.CollectionCount(2) - gcs[2]];

        // The oldest task of an app with a named VIP: each change moves the name's seniority (a new allocation check).
        var (oldestOriginal, oldestMoved) = cluster.SampleOldestChange();
        var oldestCpu = new List<double>();
        for (int i = 0; i < 100; i++)
        {
            double cpu = ThreadCpuClock.NowMs();
            cluster.Apply([i % 2 == 0 ? oldestMoved : oldestOriginal]);
            oldestCpu.Add(ThreadCpuClock.NowMs() - cpu);
        }

        oldestCpu.Sort();

        FullCollect();
        long heap = GC.GetTotalMemory(forceFullCollection: false);
        long rss = Environment.WorkingSet;
        times.Sort();
        cpuTimes.Sort();
        Console.WriteLine($"scale: {tasks} tasks, {cluster.Table.Routes.Length} VIPs, {cluster.Index.Names.Count} DNS names");
        Console.WriteLine($"  parse {parseMs:F0} ms, full build (records + answers + VIPs + routes) {buildMs:F0} ms");
        Console.WriteLine($"  full build again, mean thread CPU of {Rebuilds}: records {rebuild[0] / Rebuilds:F0} ms, answers {rebuild[1] / Rebuilds:F0} ms, VIP table {rebuild[2] / Rebuilds:F0} ms, routes {rebuild[3] / Rebuilds:F0} ms");
        Console.WriteLine($"  first change after the build (counts empty non-terminals once): {firstMs:F1} ms");
        Console.WriteLine($"  one task change x200: p50 {times[100]:F2} ms, p99 {times[197]:F2} ms, max {times[^1]:F2} ms (goal <= 5 ms)");
        Console.WriteLine($"    thread CPU time: p50 {cpuTimes[100]:F2} ms, p99 {cpuTimes[197]:F2} ms (wall time waits for a core on a busy machine)");
        Console.WriteLine($"    mean thread CPU per phase: records {phases[0] / 200:F2} ms, answers {phases[1] / 200:F2} ms, VIP table {phases[2] / 200:F2} ms, routes {phases[3] / 200:F2} ms; GCs gen0/1/2 {gcs[0]}/{gcs[1]}/{gcs[2]}");
        Console.WriteLine($"  one change of an app's oldest task (named-VIP seniority moves) x100: thread CPU p50 {oldestCpu[50]:F2} ms, p99 {oldestCpu[98]:F2} ms");
        Console.WriteLine($"  held: GC heap {heap / 1048576.0:F0} MB, RSS {rss / 1048576.0:F0} MB (goal <= 300 MB; includes the parsed state; the heap right after parsing, with the parser's pooled buffers, was {stateHeap / 1048576.0:F0} MB)");
        int settle = Array.IndexOf(args, "--settle") is int at and >= 0 && at + 1 < args.Length
            ? int.Parse(args[at + 1], System.Globalization.CultureInfo.InvariantCulture)
            : 0;
        if (settle > 0)
        {
            // What a long-running daemon holds after idling (caches and pools that trim themselves over time would
            // show here; at 100,000 tasks nothing did).
            Thread.Sleep(TimeSpan.FromSeconds(settle));
            FullCollect();
            Console.WriteLine($"  after {settle} s idle: GC heap {GC.GetTotalMemory(forceFullCollection: false) / 1048576.0:F0} MB, RSS {Environment.WorkingSet / 1048576.0:F0} MB");
        }

        if (args.Contains("--hold"))
        {
            // For a heap dump (dotnet-gcdump collect -p PID): hold everything until a line arrives on stdin.
            Console.WriteLine($"  holding (pid {Environment.ProcessId}); press Enter to exit");
            Console.ReadLine();
        }

        GC.KeepAlive(cluster);
        return 0;
    }
}
