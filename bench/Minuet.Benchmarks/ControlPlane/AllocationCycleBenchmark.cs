using BenchmarkDotNet.Attributes;
using Minuet.ControlPlane.Allocation;

namespace Minuet.Benchmarks.ControlPlane;

/// <summary>One DRF allocation cycle over 1,000 agents for 10 frameworks in 3 roles, then every offer recovered.</summary>
[MemoryDiagnoser]
public class AllocationCycleBenchmark
{
    private static readonly DateTimeOffset Now = DateTimeOffset.UnixEpoch;
    private HierarchicalAllocator _allocator = null!;

    [Params(100, 1000)]
    public int Agents { get; set; }

    [GlobalSetup]
    public void Setup() => _allocator = Build(Agents, 10);

    internal static HierarchicalAllocator Build(int agents, int frameworks)
    {
        var allocator = new HierarchicalAllocator();
        for (int i = 0; i < agents; i++)
        {
            allocator.AddAgent($"agent-{i:D5}", new AgentResources(new Resources(16, 65536, 100000, PortSet.Parse("[31000-32000]"))));
        }

        for (int f = 0; f < frameworks; f++)
        {
            allocator.AddFramework($"framework-{f}", $"role{f % 3}");
        }

        allocator.SetWeight("role1", 2);
        return allocator;
    }

    [Benchmark]
    public int AllocateAndRecover() => Cycle(_allocator);

    internal static int Cycle(HierarchicalAllocator allocator)
    {
        var offers = allocator.Allocate(Now);
        foreach (var offer in offers)
        {
            allocator.Recover(offer.AgentId, offer.FrameworkId, new AllocatedSlice(offer.Unreserved, offer.Reserved), null, Now);
        }

        return offers.Count;
    }
}
