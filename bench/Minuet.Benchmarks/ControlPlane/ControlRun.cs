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
        var (core, frameworkId, scheduler) = SimulatedCluster.BuildWithScheduler(agents, tasks);
        build.Stop();
        Console.WriteLine($"in-process cluster: {agents} agents, {tasks} tasks built in {build.ElapsedMilliseconds} ms");

        var allocator = AllocationCycleBenchmark.Build(agents, 10);
        var allocation = Time(50, () => AllocationCycleBenchmark.Cycle(allocator));
        Console.WriteLine($"allocation cycle ({agents} agents, 10 frameworks, 3 roles): median {allocation.Median:F2} ms, p95 {allocation.P95:F2} ms");

        var tick = MasterTick(core, frameworkId, scheduler, 20);
        Console.WriteLine($"allocation cycle in the master ({agents} agents, {tasks} tasks, offers made and declined): median {tick.Median:F2} ms, p95 {tick.P95:F2} ms (goal p95 <= 100 ms)");

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

    /// <summary>
    /// The master's own tick (agent checks, the DRF allocation over every agent with its tasks' resources in use, the
    /// offers made): what a real master does every allocation interval. Between ticks every offer is declined for 0 s,
    /// so each tick offers the whole cluster again.
    /// </summary>
    private static (double Median, double P95) MasterTick(Minuet.ControlPlane.Master.MasterCore core, string frameworkId, Minuet.ControlPlane.Master.FrameworkConnection scheduler, int runs)
    {
        var samples = new double[runs];
        for (int i = -1; i < runs; i++)
        {
            var sw = Stopwatch.StartNew();
            core.Tick(DateTimeOffset.UtcNow);
            sw.Stop();
            if (i >= 0)
            {
                samples[i] = sw.Elapsed.TotalMilliseconds;
            }

            var offers = new List<string>();
            while (scheduler.Events.TryRead(out var e))
            {
                if (e.Offers is { } made)
                {
                    offers.AddRange(made.Select(o => o.Id));
                }
            }

            if (offers.Count > 0 && core.Decline(frameworkId, new Minuet.ControlPlane.Master.DeclineRequest { OfferIds = offers, Filters = new Minuet.ControlPlane.Master.OfferFilters(0) }) is { } error)
            {
                throw new InvalidOperationException(error.Message);
            }
        }

        Array.Sort(samples);
        return (samples[runs / 2], samples[Math.Min(runs - 1, (int)(runs * 0.95))]);
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
