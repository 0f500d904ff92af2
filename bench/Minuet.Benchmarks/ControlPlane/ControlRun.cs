using System.Diagnostics;
using System.Globalization;
using Minuet.ControlPlane.Master.State;

namespace Minuet.Benchmarks.ControlPlane;

/// <summary>
/// The control-plane scale run: 1,000 agents and 10,000 tasks. In-process it times the allocation cycle and the
/// <c>/master/state</c> render; with <c>--master URL</c> it also drives a real <c>minuet master</c> over HTTP
/// (<see cref="HttpDriver"/>) and times <c>GET /master/state</c> there.
/// </summary>
internal static class ControlRun
{
    public static async Task<int> RunAsync(string[] args)
    {
        int agents = Arg(args, "--agents", 1000);
        int tasks = Arg(args, "--tasks", 10000);
        string? master = args.SkipWhile(a => a != "--master").Skip(1).FirstOrDefault();

        var build = Stopwatch.StartNew();
        var core = SimulatedCluster.Build(agents, tasks);
        build.Stop();
        Console.WriteLine($"in-process cluster: {agents} agents, {tasks} tasks built in {build.ElapsedMilliseconds} ms");

        var allocator = AllocationCycleBenchmark.Build(agents, 10);
        var allocation = Time(50, () => AllocationCycleBenchmark.Cycle(allocator));
        Console.WriteLine($"allocation cycle ({agents} agents, 10 frameworks, 3 roles): median {allocation.Median:F2} ms, p95 {allocation.P95:F2} ms");

        int bytes = 0;
        var render = Time(20, () => bytes = MasterStateWriter.Render(core.View).Length);
        Console.WriteLine($"/master/state render in-process: median {render.Median:F2} ms, p95 {render.P95:F2} ms, {bytes / 1024} KiB (goal < 200 ms)");

        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        Console.WriteLine($"in-process managed heap with the cluster: {GC.GetTotalMemory(true) / (1024 * 1024)} MiB");
        GC.KeepAlive(core);

        LockContentionRun.Run(agents, tasks, Arg(args, "--updates", 5000));

        if (master is not null)
        {
            await HttpDriver.RunAsync(new Uri(master), agents, tasks).ConfigureAwait(false);
        }

        return 0;
    }

    internal static (double Median, double P95) Time(int runs, Action action)
    {
        action();
        var samples = new double[runs];
        for (int i = 0; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            action();
            samples[i] = sw.Elapsed.TotalMilliseconds;
        }

        Array.Sort(samples);
        return (samples[runs / 2], samples[Math.Min(runs - 1, (int)(runs * 0.95))]);
    }

    private static int Arg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out int v) ? v : fallback;
    }
}
