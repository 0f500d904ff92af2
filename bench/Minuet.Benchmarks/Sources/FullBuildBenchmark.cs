using BenchmarkDotNet.Attributes;
using Minuet.Benchmarks.Dns.Tool;
using Minuet.DataPlane.Dns.Answers;
using Minuet.DataPlane.Dns.Records;
using Minuet.DataPlane.L4lb.Selection;
using Minuet.DataPlane.L4lb.Vips;
using Minuet.DataPlane.Model;

namespace Minuet.Benchmarks.Sources;

/// <summary>
/// Goal: a full build of 10,000 tasks in at most 100 ms: DNS records, compiled answers, VIP table and
/// routes from a parsed state (parsing is <see cref="Dns.SnapshotBuildBenchmark"/>). Baseline: the full builders
/// (<see cref="DnsRecordBuilder"/>, <see cref="VipTableBuilder"/>) the polled path uses.
/// </summary>
[MemoryDiagnoser]
public class FullBuildBenchmark
{
    private ClusterState _state = ClusterState.Empty;
    private ScaleCluster _cluster = null!;
    private DnsRecordBuilder _builder = null!;
    private VipTableBuilder _vipBuilder = null!;

    [Params(10_000)]
    public int Tasks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _state = ScaleCluster.Parse(Tasks);
        _cluster = new ScaleCluster(_state);
        _builder = new DnsRecordBuilder(DnsBenchFixture.Options);
        _vipBuilder = new VipTableBuilder(new NamedVipAllocator(VipRange.Parse("198.19.0.0/16")));
    }

    [Benchmark(Baseline = true)]
    public int FullBuilders()
    {
        var index = DnsAnswerCompiler.Compile(_builder.Build(_state, serial: 1));
        var table = BalancerTable.Build(_vipBuilder.Build(_state), new BackendRegistry(), new PowerOfTwoChoicesPolicy(new Random(1), TimeProvider.System));
        return index.Names.Count + table.Routes.Length;
    }

    [Benchmark]
    public int FullBuild()
    {
        _cluster.Rebuild();
        return _cluster.Index.Names.Count + _cluster.Table.Routes.Length;
    }
}
