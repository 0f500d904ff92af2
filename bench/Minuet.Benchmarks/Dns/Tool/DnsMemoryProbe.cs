using System.Diagnostics;
using Minuet.DataPlane.Dns.Answers;
using Minuet.DataPlane.Dns.Records;
using Minuet.DataPlane.Model;
using Minuet.DataPlane.Sources;

namespace Minuet.Benchmarks.Dns.Tool;

/// <summary>
/// <c>dns-mem STATE</c>: where a snapshot's memory and time go, stage by stage (parse, records, answer index):
/// time, bytes allocated and bytes still reachable after a full collection. Run a few rounds; the first includes JIT.
/// </summary>
internal static class DnsMemoryProbe
{
    public static int Run(string statePath)
    {
        byte[] document = File.ReadAllBytes(statePath);
        var builder = new DnsRecordBuilder(DnsBenchFixture.Options);
        for (int round = 0; round < 4; round++)
        {
            long baseline = GC.GetTotalMemory(forceFullCollection: true);
            var state = Stage("parse", () => MesosStateParser.Parse(document).State!, ref baseline);
            var records = Stage("records", () => builder.Build(state, serial: 1), ref baseline);
            var index = Stage("answers", () => DnsAnswerCompiler.Compile(records), ref baseline);
            Console.WriteLine(
                $"round {round}: {state.Frameworks.Sum(f => f.Tasks.Count)} tasks, {records.Names.Count} names, {index.Names.Count} answer names");
            GC.KeepAlive(state);
            GC.KeepAlive(records);
            GC.KeepAlive(index);
        }

        return 0;
    }

    private static T Stage<T>(string name, Func<T> run, ref long retainedBefore)
    {
        long allocated = GC.GetTotalAllocatedBytes(precise: true);
        long start = Stopwatch.GetTimestamp();
        var result = run();
        double ms = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        long allocatedNow = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        long retained = GC.GetTotalMemory(forceFullCollection: true);
        Console.WriteLine(
            $"  {name,-8} {ms,7:F1} ms  allocated {allocatedNow / 1048576.0,6:F1} MB  retained {(retained - retainedBefore) / 1048576.0,6:F1} MB");
        retainedBefore = retained;
        return result;
    }
}
