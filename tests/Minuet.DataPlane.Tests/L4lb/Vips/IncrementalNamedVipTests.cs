using Minuet.DataPlane.L4lb.Vips;
using Minuet.DataPlane.Model;
using Minuet.DataPlane.Tests.Sources;

namespace Minuet.DataPlane.Tests.L4lb.Vips;

/// <summary>
/// The incremental VIP table's named VIPs (read from its per-VIP lists, not from a sort of every task) and its
/// reuse of one allocation per rebuild, step by step against the full builder.
/// </summary>
public sealed class IncrementalNamedVipTests
{
    [Theory]
    [InlineData(21, "198.19.0.0/16")]
    [InlineData(22, "198.19.0.0/16")]
    [InlineData(23, "198.19.0.0/29")] // six addresses: names collide and run out
    public void Apply_EveryStepOfRandomSequence_EqualsFullBuild(int seed, string range)
    {
        var cluster = new RandomCluster(seed, initialTasks: 30);
        var allocator = new NamedVipAllocator(VipRange.Parse(range));
        var incremental = new IncrementalVipTable(new VipTableBuilder(allocator));
        incremental.Rebuild(cluster.State());
        for (int step = 0; step < 40; step++)
        {
            var delta = incremental.Apply(cluster.NextDelta());
            Assert.NotNull(delta);
            AssertSame(new VipTableBuilder(new NamedVipAllocator(VipRange.Parse(range))).Build(cluster.State()), incremental.Current!);
        }

        AssertSame(new VipTableBuilder(allocator).Build(cluster.State()), incremental.Rebuild(cluster.State()));
    }

    [Fact]
    public void Apply_OldestTaskOfNamedVipReplaced_KeepsAddressAndEqualsFullBuild()
    {
        var allocator = new NamedVipAllocator(VipRange.Parse("198.19.0.0/16"));
        var incremental = new IncrementalVipTable(new VipTableBuilder(allocator));
        var state = State(Task("web.1", "/web:80", 31001, since: 100), Task("web.2", "/web:80", 31002, since: 200), Task("api.1", "/api:80", 31003, since: 150));
        var before = incremental.Rebuild(state);
        var address = before.NamedVips.Single(n => n.Label == "web").Address;

        // The oldest claimant goes and comes back younger than every other task: the name's seniority moves.
        var replaced = State(Task("web.2", "/web:80", 31002, since: 200), Task("api.1", "/api:80", 31003, since: 150), Task("web.3", "/web:80", 31004, since: 300));
        incremental.Apply([new TaskChange("fw", "web.1", null), new TaskChange("fw", "web.3", replaced.Frameworks[0].Tasks[2])]);

        var after = incremental.Current!;
        Assert.Equal(address, after.NamedVips.Single(n => n.Label == "web").Address);
        AssertSame(new VipTableBuilder(new NamedVipAllocator(VipRange.Parse("198.19.0.0/16"))).Build(replaced), after);
    }

    [Theory]
    [InlineData("198.19.0.0/30")] // two addresses: web and api0 prefer the same one, and seniority decides who probes
    [InlineData("198.19.0.0/16")]
    public void Apply_OldestClaimMovesPastAnotherName_EqualsFullBuild(string range)
    {
        var incremental = new IncrementalVipTable(new VipTableBuilder(new NamedVipAllocator(VipRange.Parse(range))));
        var web2 = Task("web.2", "/web:80", 31003, since: 300);
        var api = Task("api0.1", "/api0:80", 31002, since: 200);
        incremental.Rebuild(State(Task("web.1", "/web:80", 31001, since: 100), web2, api));

        // web's oldest task goes: its seniority moves from 100 past api0's 200 to 300, so api0 becomes the older
        // name and takes the slot both prefer.
        incremental.Apply([new TaskChange("fw", "web.1", null)]);
        AssertSame(new VipTableBuilder(new NamedVipAllocator(VipRange.Parse(range))).Build(State(web2, api)), incremental.Current!);

        // A move that passes no other name (300 to 250; api0 stays older) keeps every address.
        var web3 = Task("web.3", "/web:80", 31004, since: 250);
        incremental.Apply([new TaskChange("fw", "web.3", web3)]);
        AssertSame(new VipTableBuilder(new NamedVipAllocator(VipRange.Parse(range))).Build(State(web2, api, web3)), incremental.Current!);
    }

    private static void AssertSame(VipTable expected, VipTable actual)
    {
        Assert.Equal(expected.Vips.Select(Describe), actual.Vips.Select(Describe));
        Assert.Equal(expected.NamedVips.Select(n => n.ToString()), actual.NamedVips.Select(n => n.ToString()));
        Assert.Equal(expected.InvalidLabels.Select(n => n.ToString()), actual.InvalidLabels.Select(n => n.ToString()));
    }

    private static string Describe(VipDefinition v) =>
        $"{v.Vip} {v.Name}: {string.Join(",", v.Backends.Select(b => $"{b.Endpoint}/{b.Weight}/{b.TaskId}"))}";

    private static TaskInfo Task(string id, string vip, int port, double since) => new()
    {
        Id = id,
        Name = id.Split('.')[0],
        FrameworkId = "fw",
        AgentId = "a1",
        State = "TASK_RUNNING",
        Ports = [new PortRange(port, port)],
        Statuses = [new TaskStatusInfo { State = "TASK_RUNNING", Timestamp = since }],
        Discovery = new DiscoveryInfo { Ports = [new DiscoveryPort { Number = port, Protocol = "tcp", Labels = [new Label("VIP_0", vip)] }] },
    };

    private static ClusterState State(params TaskInfo[] tasks) => new()
    {
        Agents = [new AgentInfo { Id = "a1", Pid = "slave(1)@10.0.0.1:5051" }],
        Frameworks = [new FrameworkInfo { Id = "fw", Name = "marathon", Tasks = tasks }],
    };
}
