using BenchmarkDotNet.Attributes;
using Minuet.DataPlane.Model;

namespace Minuet.Benchmarks.Sources;

/// <summary>
/// Goal: one task change applied to DNS (records and compiled answers) and the VIP table (entries and
/// compiled routes) in at most 5 ms at 100,000 tasks. Each call moves one task to another address and back on the
/// next call, so the state stays the same size. Kernel ipset work is not included (a moved backend changes no VIP).
/// </summary>
[MemoryDiagnoser]
public class IncrementalUpdateBenchmark
{
    private ScaleCluster _cluster = null!;
    private TaskChange[] _changes = [];
    private int _next;

    [Params(100_000)]
    public int Tasks { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _cluster = new ScaleCluster(ScaleCluster.Parse(Tasks));
        var (original, moved) = _cluster.SampleChange();
        _changes = [moved, original];
        _cluster.Apply([moved]); // the first delta after a full build counts empty non-terminals once
        _cluster.Apply([original]);
    }

    [Benchmark]
    public int OneTaskChange()
    {
        _cluster.Apply([_changes[_next++ & 1]]);
        return _cluster.Index.Names.Count;
    }
}
