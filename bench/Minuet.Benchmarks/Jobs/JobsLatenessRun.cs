using System.Diagnostics;
using System.Globalization;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Scheduler.MasterLink;
using Minuet.Platform.Jobs.Engine;
using Minuet.Platform.Jobs.Model;
using Minuet.Platform.Jobs.Storage;

namespace Minuet.Benchmarks.Jobs;

/// <summary>
/// <c>jobs [--jobs N] [--minutes M] [--store sqlite|memory]</c>: N jobs with random cron schedules in random zones
/// on the real clock, the jobs core ticking as the service does (every 250 ms), and an instant fake master (one big
/// offer every tick; each task finishes at once, reported from a second thread as the master's stream would). Prints launch lateness (accept sent − scheduled time)
/// p50/p99/max and the tick's own cost. The master is faked: this measures the jobs service, not Mesos launch time.
/// </summary>
internal static class JobsLatenessRun
{
    public const string Verb = "jobs";

    private static readonly string[] Zones = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Tokyo", "Australia/Sydney", "America/Los_Angeles"];

    public static int Run(string[] args)
    {
        int jobs = Arg(args, "--jobs", 10_000);
        int minutes = Arg(args, "--minutes", 3);
        bool sqlite = !args.Contains("memory");
        string dir = Path.Combine(Path.GetTempPath(), "minuet-jobs-bench-" + Guid.NewGuid().ToString("N")[..8]);
        IJobStore store = sqlite ? SqliteJobStore.Open(dir) : new InMemoryJobStore();
        try
        {
            var core = new JobsCore(store, new JobsOptions());
            var random = new Random(42);
            for (int i = 0; i < jobs; i++)
            {
                var spec = new JobSpec
                {
                    Id = "bench-" + i.ToString(CultureInfo.InvariantCulture),
                    Run = new RunSpec { Cmd = "true", Cpus = 0.01, Mem = 1 },
                    Schedules = [new ScheduleSpec { Id = "s", Cron = RandomCron(random), TimeZone = Zones[random.Next(Zones.Length)], ConcurrencyPolicy = ConcurrencyPolicy.Forbid }],
                };
                if (!core.Put(spec, create: true).Ok)
                {
                    Console.Error.WriteLine($"jobs bench: job {spec.Id} refused");
                    return 1;
                }
            }

            core.OnSubscribed("bench-framework");
            Drain(core, null, null);
            var lateness = new List<double>();
            var ticks = new List<double>();
            var end = DateTimeOffset.UtcNow.AddMinutes(minutes);

            // The master's side on its own thread, as the subscription delivers updates beside the service's tick.
            var finished = new System.Collections.Concurrent.BlockingCollection<string>();
            var master = new Thread(() =>
            {
                foreach (var id in finished.GetConsumingEnumerable())
                {
                    core.HandleUpdate(new SchedulerStatus { TaskId = id, FrameworkId = "bench-framework", State = "TASK_FINISHED", Uuid = "u" });
                }
            });
            master.Start();
            Console.WriteLine($"jobs bench: {jobs} jobs ({(sqlite ? "SQLite store" : "in-memory store")}), running {minutes} min on the real clock...");
            int offer = 0;
            while (DateTimeOffset.UtcNow < end)
            {
                var started = Stopwatch.GetTimestamp();
                core.Tick();
                ticks.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                Drain(core, null, finished);
                core.HandleOffers([new OfferInfo
                {
                    Id = "o" + (++offer).ToString(CultureInfo.InvariantCulture), FrameworkId = "bench-framework", AgentId = "a", Hostname = "h", Address = "127.0.0.1", Role = "*",
                    Resources = new ResourceSet { Cpus = 1_000_000, Mem = 1_000_000_000, Disk = 1_000_000 },
                }]);
                Drain(core, lateness, finished);
                Thread.Sleep(core.Options.TickInterval);
            }

            finished.CompleteAdding();
            master.Join();

            lateness.Sort();
            ticks.Sort();
            var skipped = core.Read(all => all.Values.Sum(e => e.Status.SkippedCount));
            var succeeded = core.Read(all => all.Values.Sum(e => e.Status.SuccessCount));
            Console.WriteLine($"jobs bench: {lateness.Count} launches, {succeeded} succeeded, {skipped} skipped");
            Console.WriteLine($"| Metric | p50 | p99 | max |");
            Console.WriteLine($"|---|---|---|---|");
            Console.WriteLine($"| launch lateness (ms) | {P(lateness, 0.50):0.0} | {P(lateness, 0.99):0.0} | {(lateness.Count == 0 ? 0 : lateness[^1]):0.0} |");
            Console.WriteLine($"| tick over {jobs} jobs (ms) | {P(ticks, 0.50):0.00} | {P(ticks, 0.99):0.00} | {(ticks.Count == 0 ? 0 : ticks[^1]):0.00} |");
            return 0;
        }
        finally
        {
            store.Dispose();
            if (Directory.Exists(dir))
            {
                Directory.Delete(dir, recursive: true);
            }
        }
    }

    /// <summary>Plays the master: every accepted task runs and finishes at once; records lateness when asked.</summary>
    private static void Drain(JobsCore core, List<double>? lateness, System.Collections.Concurrent.BlockingCollection<string>? finished)
    {
        while (core.Outbox.TryRead(out var command))
        {
            if (command is AcceptCommand accept)
            {
                var now = DateTimeOffset.UtcNow;
                foreach (var task in accept.Request.Tasks)
                {
                    string id = task.TaskId!;
                    string job = id[..id.IndexOf('_', StringComparison.Ordinal)];
                    string run = id[(job.Length + 1)..id.LastIndexOf('.')];
                    var due = core.Read(all => all[job].Active.First(r => r.Id == run).DueAt);
                    lateness?.Add((now - due).TotalMilliseconds);
                    finished?.Add(id);
                }
            }
        }
    }

    /// <summary>A mix: a fifth every minute, two fifths every k minutes, two fifths hourly at a random minute.</summary>
    private static string RandomCron(Random random) => random.Next(5) switch
    {
        0 => "* * * * *",
        1 or 2 => $"*/{random.Next(2, 16)} * * * *",
        _ => $"{random.Next(60)} * * * *",
    };

    private static double P(List<double> sorted, double q) => sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)(q * sorted.Count))];

    private static int Arg(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], CultureInfo.InvariantCulture, out int v) ? v : fallback;
    }
}
