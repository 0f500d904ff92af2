using BenchmarkDotNet.Attributes;
using Minuet.Benchmarks.Dns.Tool;
using Minuet.DataPlane.Dns.Answers;
using Minuet.DataPlane.Dns.Records;
using Minuet.DataPlane.Sources;

namespace Minuet.Benchmarks.Dns;

/// <summary>
/// Compiling a snapshot's records into wire-format answers (runs once per snapshot, on the publishing thread):
/// 3,000 tasks (the dnsperf fixture) and 10,000 tasks on 1,000 agents.
/// </summary>
[MemoryDiagnoser]
public class DnsAnswerCompileBenchmark
{
    private DnsRecordSet _records = null!;

    [Params(3_000, 10_000)]
    public int Tasks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var state = MesosStateParser.Parse(SyntheticState.Json(Tasks, agents: Tasks / 10)).State!;
        _records = new DnsRecordBuilder(DnsBenchFixture.Options).Build(state, serial: 1);
    }

    [Benchmark]
    public int Compile() => DnsAnswerCompiler.Compile(_records).Names.Count;
}
