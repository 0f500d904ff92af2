using System.Diagnostics;
using System.Globalization;
using Minuet.ControlPlane.Coordination;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Storage;

namespace Minuet.Benchmarks.ControlPlane;

/// <summary>
/// <c>store-writes [--etcd-endpoints URLS] [--updates N]</c>: status updates per second the master's store takes,
/// SQLite (<c>master.db</c>, WAL) against etcd (a fenced txn per write, as the leading master does), one writer at a
/// time as under the master's lock. Part of <c>./run-bench.sh control</c>.
/// </summary>
internal static class StoreWriteRun
{
    public const string Verb = "store-writes";

    public static async System.Threading.Tasks.Task<int> RunAsync(string[] args)
    {
        int updates = 2000;
        string? endpoints = null;
        for (int i = 0; i + 1 < args.Length; i += 2)
        {
            switch (args[i])
            {
                case "--updates": updates = int.Parse(args[i + 1], CultureInfo.InvariantCulture); break;
                case "--etcd-endpoints": endpoints = args[i + 1]; break;
                default: Console.Error.WriteLine($"store-writes: unknown option {args[i]}"); return 2;
            }
        }

        var dir = Directory.CreateTempSubdirectory("minuet-store-bench-");
        try
        {
            using (var sqlite = SqliteMasterStore.Open(dir.FullName))
            {
                Report("sqlite", updates, Measure(sqlite, updates));
            }

            if (endpoints is null)
            {
                Console.WriteLine("etcd: skipped (no --etcd-endpoints)");
                return 0;
            }

            if (!EtcdConnection.TryParseEndpoints("--etcd-endpoints", endpoints, out var list, out var error))
            {
                Console.Error.WriteLine(error);
                return 2;
            }

            using var etcd = EtcdConnection.Open(list, TimeSpan.FromSeconds(10));
            await using var election = new LeaderElection(etcd, new LeaderElectionOptions { Key = "/minuet/bench/leader", Value = "bench" });
            election.Start();
            var wait = Stopwatch.StartNew();
            while (!election.IsLeader && wait.Elapsed < TimeSpan.FromSeconds(15))
            {
                await System.Threading.Tasks.Task.Delay(50).ConfigureAwait(false);
            }

            if (!election.IsLeader)
            {
                Console.Error.WriteLine("etcd: could not take the bench leader key within 15 s");
                return 1;
            }

            Report("etcd", updates, Measure(new EtcdMasterStore(new EtcdKv(etcd, election)), updates));
            await election.ResignAsync().ConfigureAwait(false);
            return 0;
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    /// <summary>Per-write latencies of <paramref name="updates"/> task puts over 100 tasks (a status update each).</summary>
    private static List<double> Measure(IMasterStore store, int updates)
    {
        var latencies = new List<double>(updates);
        for (int i = 0; i < updates; i++)
        {
            var start = Stopwatch.GetTimestamp();
            store.PutTask(Task(i % 100, i));
            latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
        }

        return latencies;
    }

    private static void Report(string name, int updates, List<double> ms)
    {
        ms.Sort();
        double total = ms.Sum();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"store {name,-6}: {updates / (total / 1000):0} status updates/s, p50 {ms[ms.Count / 2]:0.00} ms, p99 {ms[(int)(ms.Count * 0.99)]:0.00} ms"));
    }

    private static StoredTask Task(int n, int version) => new()
    {
        Launch = new LaunchTaskRequest
        {
            TaskId = $"bench.{n}",
            Name = "bench",
            FrameworkId = "bench-framework",
            AgentId = "bench-agent",
            Command = new CommandInfo { Value = "sleep 1000" },
            Resources = new ResourceSet { Cpus = 0.1, Mem = 32, Ports = [new PortRange(31000, 31000)] },
        },
        State = "TASK_RUNNING",
        Statuses = [new TaskStatusUpdate { Uuid = $"u{version}", TaskId = $"bench.{n}", FrameworkId = "bench-framework", AgentId = "bench-agent", State = "TASK_RUNNING", Timestamp = version }],
    };
}
