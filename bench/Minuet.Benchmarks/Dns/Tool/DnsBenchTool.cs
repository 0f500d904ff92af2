using System.Globalization;
using System.Net;
using System.Runtime.InteropServices;
using Microsoft.Extensions.Logging;
using Minuet.DataPlane.Dns.Server;
using Minuet.DataPlane.Model;

namespace Minuet.Benchmarks.Dns.Tool;

/// <summary>
/// Helper verbs for bench/scripts/dns.sh (not benchmarks themselves):
///   dns-fixture OUTDIR [APPS]        state.json, mesos.zone and queries.txt for APPS apps × 3 tasks
///   dns-state FILE TASKS AGENTS      a state document alone (the snapshot-build benchmark's shape), for RSS runs
///   dns-mem STATE                   time, allocation and retained bytes per snapshot stage
///   dns-compile STATE               time answer compilation for STATE
///   dns-serve STATE ADDR:PORT [WORKERS] [batched|socket]   serve STATE with DnsServer until SIGTERM
/// </summary>
internal static class DnsBenchTool
{
    public static async Task<int> RunAsync(string[] args)
    {
        switch (args[0])
        {
            case "dns-fixture":
                return Fixture(args[1], args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1000);
            case "dns-state":
                File.WriteAllBytes(args[1], SyntheticState.Json(
                    int.Parse(args[2], CultureInfo.InvariantCulture), int.Parse(args[3], CultureInfo.InvariantCulture)));
                return 0;
            case "dns-mem":
                return DnsMemoryProbe.Run(args[1]);
            case "dns-compile":
                return Compile(args[1]);
            case "dns-serve":
                return await ServeAsync(
                    args[1],
                    IPEndPoint.Parse(args[2]),
                    args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 1,
                    args.Length <= 4 || args[4] != "socket");
            default:
                await Console.Error.WriteLineAsync($"unknown verb {args[0]}");
                return 2;
        }
    }

    private static int Fixture(string outDir, int apps)
    {
        Directory.CreateDirectory(outDir);
        string statePath = Path.Combine(outDir, "state.json");
        File.WriteAllBytes(statePath, SyntheticState.Json(apps * 3, agents: Math.Max(1, apps / 10)));
        var records = DnsBenchFixture.FromStateFile(statePath);
        File.WriteAllText(Path.Combine(outDir, "mesos.zone"), ZoneFileWriter.Write(records, "mesos"));
        File.WriteAllLines(Path.Combine(outDir, "queries.txt"), QueryMix.Build(records));
        Console.WriteLine($"fixture: {apps} apps x 3 tasks, {records.Names.Count} names -> {outDir}");
        return 0;
    }

    // Times answer compilation (snapshot -> wire answers) a few times: the first includes JIT, the rest are steady.
    private static int Compile(string statePath)
    {
        var records = DnsBenchFixture.FromStateFile(statePath);
        for (int i = 0; i < 5; i++)
        {
            long allocated = GC.GetTotalAllocatedBytes();
            int gcs = GC.CollectionCount(0);
            long start = System.Diagnostics.Stopwatch.GetTimestamp();
            var index = Minuet.DataPlane.Dns.Answers.DnsAnswerCompiler.Compile(records);
            double ms = System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalMilliseconds;
            Console.WriteLine($"compile {i}: {index.Names.Count} names in {ms:F0} ms, allocated {(GC.GetTotalAllocatedBytes() - allocated) / 1048576} MB, {GC.CollectionCount(0) - gcs} GCs, heap {GC.GetTotalMemory(false) / 1048576} MB");
        }

        return 0;
    }

    private static async Task<int> ServeAsync(string statePath, IPEndPoint listen, int workers, bool batched)
    {
        using var loggerFactory = LoggerFactory.Create(b => b.AddSimpleConsole().SetMinimumLevel(LogLevel.Information));
        var store = new SnapshotStore();
        store.Publish(new DataPlaneSnapshot(ClusterState.Empty, DnsBenchFixture.FromStateFile(statePath), [], DateTimeOffset.UtcNow));
        var options = new DnsServerOptions { UdpListen = listen, Workers = workers, Forwarding = false, BatchedUdp = batched };
        await using var server = new DnsServer(options, store, loggerFactory, new DnsMetrics());
        await server.StartAsync(CancellationToken.None);
        var stop = new TaskCompletionSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.TrySetResult(); });
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.TrySetResult(); });
        Console.WriteLine($"ready udp {server.UdpEndPoint} tcp {server.TcpEndPoint}");
        await stop.Task;
        await server.StopAsync(CancellationToken.None);
        return 0;
    }
}
