using System.Diagnostics;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Master.State;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Storage;

namespace Minuet.Benchmarks.ControlPlane;

/// <summary>
/// What the master lock costs the agents: status updates through the core, one after another, timed per call,
/// first alone and then while another thread renders <c>/master/state</c> without pause. A render that holds the
/// lock shows up as update latency; one that does not leaves it where it was. Run with the in-memory store (lock
/// work only) and with SQLite (the store write too).
/// </summary>
internal static class LockContentionRun
{
    private static int s_rendering;
    private static int s_updatesDuringRender;

    public static void Run(int agents, int tasks, int updates)
    {
        Measure("in-memory store", SimulatedCluster.Build(agents, tasks), updates);
        var dir = Directory.CreateTempSubdirectory("minuet-bench-lock-");
        try
        {
            using var sqlite = SqliteMasterStore.Open(dir.FullName);
            var core = SimulatedCluster.Build(agents, tasks, store: sqlite);
            Measure("sqlite store", core, updates);
            Registrations("sqlite store", core, 300);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            dir.Delete(recursive: true);
        }
    }

    private static void Measure(string name, MasterCore core, int updates)
    {
        var targets = core.Read(m => m.Tasks.Values.Select(t => (t.Id, t.FrameworkId, t.AgentId)).ToList());
        var alone = new List<double>();
        Updates(core, targets, alone, () => alone.Count >= updates);
        Console.WriteLine($"status update ({name}), alone: {Describe(alone)}");

        // Updates run until the other thread has rendered /master/state ten times, so renders and updates overlap.
        using var stop = new CancellationTokenSource();
        int renders = 0;
        s_rendering = 0;
        s_updatesDuringRender = 0;
        var renderTimes = new List<double>();
        var renderer = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var sw = Stopwatch.StartNew();
                _ = Render(core);
                Volatile.Write(ref s_rendering, 0);
                renderTimes.Add(sw.Elapsed.TotalMilliseconds);
                Interlocked.Increment(ref renders);
            }
        });
        var busy = new List<double>();
        ClearLockHold(core);
        Updates(core, targets, busy, () => Volatile.Read(ref renders) >= 10);
        stop.Cancel();
        renderer.Wait();
        renderTimes.Sort();
        Console.WriteLine($"status update ({name}), while /master/state renders ({renders} renders, median {renderTimes[renderTimes.Count / 2]:F1} ms): {Describe(busy)}");
        Console.WriteLine($"status updates begun and finished inside a render ({name}): {s_updatesDuringRender} ({s_updatesDuringRender / Math.Max(1, renderTimes.Sum() / 1000):F0}/s of render time)");
        ReportLockHold(core, name);
    }

    /// <summary>
    /// New agents registering one after another: each is stored before it is answered. How long each holds the master
    /// lock shows whether the store write happens under it (it did before the registrations left the lock).
    /// </summary>
    private static void Registrations(string name, MasterCore core, int count)
    {
        ClearLockHold(core);
        var latency = new List<double>();
        for (int i = 0; i < count; i++)
        {
            long start = Stopwatch.GetTimestamp();
            var (_, error) = core.RegisterAgent(new RegisterAgentRequest
            {
                Hostname = $"late-agent-{i}",
                Address = $"198.19.{i / 250}.{(i % 250) + 1}",
                Port = 5051,
                Resources = new ResourceSet { Cpus = 16, Mem = 65536, Disk = 100000, Ports = [new PortRange(31000, 32000)] },
            });
            latency.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (error is not null)
            {
                throw new InvalidOperationException(error.Message);
            }
        }

        latency.Sort();
        Console.WriteLine($"agent registration ({name}), {count} one after another: median {latency[count / 2]:F3} ms, p99 {latency[(int)(count * 0.99)]:F3} ms");
        var held = core.LockHold.Sorted();
        if (held.Length > 0)
        {
            Console.WriteLine($"master lock hold per change ({name}, registrations, last {held.Length}): median {held[held.Length / 2]:F3} ms, " +
                $"p99 {held[Math.Min(held.Length - 1, (int)(held.Length * 0.99))]:F3} ms, max {held[^1]:F2} ms");
        }
    }

    private static string Describe(List<double> samples)
    {
        samples.Sort();
        double At(double q) => samples[Math.Min(samples.Count - 1, (int)(samples.Count * q))];
        return $"{samples.Count} updates, median {At(0.5):F3} ms, p99 {At(0.99):F3} ms, p99.9 {At(0.999):F2} ms, max {samples[^1]:F2} ms, " +
            $"{samples.Count(x => x > 20)} over 20 ms";
    }

    /// <summary>The render the HTTP endpoint does (swapped for the lock-held one when measuring the old master).</summary>
    private static byte[] Render(MasterCore core)
    {
        Volatile.Write(ref s_rendering, 1);
        return core.StateDocument();
    }

    private static void ClearLockHold(MasterCore core) => core.LockHold.Clear();

    private static void ReportLockHold(MasterCore core, string name)
    {
        var held = core.LockHold.Sorted();
        if (held.Length > 0)
        {
            Console.WriteLine($"master lock hold per change ({name}, while rendering, last {held.Length}): median {held[held.Length / 2]:F3} ms, " +
                $"p99 {held[Math.Min(held.Length - 1, (int)(held.Length * 0.99))]:F3} ms, max {held[^1]:F2} ms");
        }
    }

    private static void Updates(MasterCore core, List<(string Id, string FrameworkId, string AgentId)> targets, List<double> samples, Func<bool> done)
    {
        for (int i = 0; !done(); i++)
        {
            var (id, framework, agent) = targets[i % targets.Count];
            var update = new TaskStatusUpdate
            {
                Uuid = Guid.NewGuid().ToString(),
                TaskId = id,
                FrameworkId = framework,
                AgentId = agent,
                State = "TASK_RUNNING",
                Timestamp = 1_700_000_000 + i,
                Healthy = i % 2 == 0,
            };
            bool inRender = Volatile.Read(ref s_rendering) == 1;
            long start = Stopwatch.GetTimestamp();
            var (_, error) = core.StatusUpdate(agent, update);
            samples.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            if (inRender && Volatile.Read(ref s_rendering) == 1)
            {
                // Begun and finished while the render ran (a render holding the master lock allows none of these).
                s_updatesDuringRender++;
            }
            if (error is not null)
            {
                throw new InvalidOperationException(error.Message);
            }
        }
    }
}
