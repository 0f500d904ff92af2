using BenchmarkDotNet.Attributes;
using Minuet.DataPlane.L4lb;
using Minuet.DataPlane.L4lb.Selection;
using Minuet.DataPlane.L4lb.Vips;
using Minuet.DataPlane.Model;

namespace Minuet.Benchmarks.L4lb;

/// <summary>
/// Building the balancer's view of 10,000 VIPs x 10 backends: from cluster state to the VIP table (labels,
/// named-VIP allocation) and on to the compiled, swappable table. Baseline: the compile step alone.
/// </summary>
[MemoryDiagnoser]
public class VipTableBuildBenchmark
{
    private ClusterState _state = null!;
    private VipTable _table = null!;
    private VipTableBuilder _builder = null!;

    public static uint VipAddress(int i) => 0xC6130000u + 1 + (uint)i;

    /// <summary>A VIP table of IP VIPs 198.19.x.y:80 with backends on 198.18.x.y.</summary>
    internal static VipTable Table(int vips, int backends) =>
        new VipTableBuilder(new NamedVipAllocator(VipRange.Parse("198.19.0.0/16"))).Build(State(vips, backends, named: false));

    public static ClusterState State(int vips, int backends, bool named)
    {
        var agents = Enumerable.Range(0, 100)
            .Select(a => new AgentInfo { Id = $"a{a}", Pid = $"slave(1)@198.18.{a / 250}.{(a % 250) + 1}:5051" })
            .ToArray();
        var tasks = new List<TaskInfo>(vips * backends);
        for (int v = 0; v < vips; v++)
        {
            string label = named ? $"/app{v}:80" : $"{IpPort.FormatAddress(VipAddress(v))}:80";
            for (int b = 0; b < backends; b++)
            {
                int port = 20000 + ((v * backends) + b) % 40000;
                tasks.Add(new TaskInfo
                {
                    Id = $"app{v}.{b}",
                    Name = $"app{v}",
                    FrameworkId = "fw",
                    AgentId = $"a{(v + b) % agents.Length}",
                    State = "TASK_RUNNING",
                    Ports = [new PortRange(port, port)],
                    Discovery = new DiscoveryInfo
                    {
                        Ports = [new DiscoveryPort { Number = port, Protocol = "tcp", Labels = [new Label("VIP_0", label)] }],
                    },
                });
            }
        }

        return new ClusterState
        {
            Agents = agents,
            Frameworks = [new FrameworkInfo { Id = "fw", Name = "marathon", Tasks = tasks }],
        };
    }

    [Params(true, false)]
    public bool Named { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _state = State(10_000, 10, Named);
        _builder = new VipTableBuilder(new NamedVipAllocator(VipRange.Parse("198.19.0.0/16")));
        _table = _builder.Build(_state);
    }

    [Benchmark(Baseline = true)]
    public int Compile() =>
        BalancerTable.Build(_table, new BackendRegistry(), new PowerOfTwoChoicesPolicy(new Random(1), TimeProvider.System)).Routes.Length;

    [Benchmark]
    public int BuildFromState() =>
        BalancerTable.Build(_builder.Build(_state), new BackendRegistry(), new PowerOfTwoChoicesPolicy(new Random(1), TimeProvider.System)).Routes.Length;
}
