using BenchmarkDotNet.Attributes;
using Minuet.DataPlane.Dns.Records;
using Minuet.DataPlane.Model;
using Minuet.DataPlane.Sources;

namespace Minuet.Benchmarks.Dns;

/// <summary>
/// Snapshot build for 10,000 tasks on 1,000 agents (goal: well under 100 ms): parsing the state document,
/// generating the Mesos-DNS record set, and both together as the source pipeline runs them.
/// </summary>
[MemoryDiagnoser]
public class SnapshotBuildBenchmark
{
    private byte[] _json = [];
    private ClusterState _state = ClusterState.Empty;
    private DnsRecordBuilder _builder = new(new DnsRecordOptions());

    [Params(10_000)]
    public int Tasks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _json = SyntheticState.Json(Tasks, agents: Tasks / 10);
        var parsed = MesosStateParser.Parse(_json);
        _state = parsed.State ?? throw new InvalidOperationException(parsed.Error!.ToString());
        _builder = new DnsRecordBuilder(new DnsRecordOptions { Masters = ["198.18.0.1:5050"] });
    }

    [Benchmark(Baseline = true)]
    public ClusterState Parse() => MesosStateParser.Parse(_json).State!;

    [Benchmark]
    public DnsRecordSet BuildRecords() => _builder.Build(_state);

    [Benchmark]
    public DnsRecordSet ParseAndBuild() => _builder.Build(MesosStateParser.Parse(_json).State!);
}
