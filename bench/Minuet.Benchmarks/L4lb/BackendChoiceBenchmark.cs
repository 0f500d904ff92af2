using BenchmarkDotNet.Attributes;
using Minuet.DataPlane.L4lb;
using Minuet.DataPlane.L4lb.Selection;
using Minuet.DataPlane.L4lb.Vips;

namespace Minuet.Benchmarks.L4lb;

/// <summary>
/// The per-SYN decision: find the VIP's route in a table of 10,000 VIPs and let the policy choose among 10
/// backends. Must allocate nothing; the baseline is the random policy.
/// </summary>
[MemoryDiagnoser]
public class BackendChoiceBenchmark
{
    private const int Vips = 10_000;
    private readonly FlowTuple[] _flows = new FlowTuple[1024];
    private VipBalancer _balancer = null!;

    [Params("random", "p2c", "round-robin", "maglev")]
    public string Policy { get; set; } = "random";

    [GlobalSetup]
    public void Setup()
    {
        var policy = BackendPolicies.Create(Policy, new Random(42), TimeProvider.System, out _)!;
        _balancer = new VipBalancer(policy, new BackendRegistry());
        _balancer.Apply(VipTableBuildBenchmark.Table(Vips, 10));
        var random = new Random(1);
        for (int i = 0; i < _flows.Length; i++)
        {
            int vip = random.Next(Vips);
            _flows[i] = new FlowTuple(0xC6120A00u + (uint)random.Next(250), (ushort)random.Next(1024, 65535), VipTableBuildBenchmark.VipAddress(vip), 80);
        }
    }

    [Benchmark(OperationsPerInvoke = 1024)]
    public int Choose()
    {
        int found = 0;
        foreach (ref readonly var flow in _flows.AsSpan())
        {
            if (_balancer.Choose(flow) is not null)
            {
                found++;
            }
        }

        return found;
    }
}
