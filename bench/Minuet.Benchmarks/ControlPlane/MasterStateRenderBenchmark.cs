using BenchmarkDotNet.Attributes;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Master.State;

namespace Minuet.Benchmarks.ControlPlane;

/// <summary><c>/master/state</c> for 1,000 agents and 10,000 running tasks (goal: under 200 ms).</summary>
[MemoryDiagnoser]
public class MasterStateRenderBenchmark
{
    private MasterCore _core = null!;

    [Params(100, 1000)]
    public int Agents { get; set; }

    [GlobalSetup]
    public void Setup() => _core = SimulatedCluster.Build(Agents, Agents * 10);

    [Benchmark]
    public int RenderState() => MasterStateWriter.Render(_core.View).Length;
}
