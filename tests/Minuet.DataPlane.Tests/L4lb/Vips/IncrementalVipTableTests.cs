using Minuet.DataPlane.L4lb.Selection;
using Minuet.DataPlane.L4lb.Vips;
using Minuet.DataPlane.Model;
using Minuet.DataPlane.Tests.Sources;

namespace Minuet.DataPlane.Tests.L4lb.Vips;

public sealed class IncrementalVipTableTests
{
    [Theory]
    [InlineData(1, "198.19.0.0/16")]
    [InlineData(2, "198.19.0.0/16")]
    [InlineData(3, "198.19.0.0/16")]
    [InlineData(4, "198.19.0.0/30")] // four addresses: named VIPs collide, move and run out
    [InlineData(5, "198.19.0.0/30")]
    public void Apply_RandomSequence_TableAndRoutesEqualFullRebuild(int seed, string range)
    {
        var cluster = new RandomCluster(seed, initialTasks: 40);
        var allocator = new NamedVipAllocator(VipRange.Parse(range));
        var incremental = new IncrementalVipTable(new VipTableBuilder(allocator));
        var policy = new RoundRobinPolicy(TimeProvider.System);
        var registry = new BackendRegistry();
        var table = BalancerTable.Build(incremental.Rebuild(cluster.State()), registry, policy);
        for (int step = 0; step < 80; step++)
        {
            var delta = incremental.Apply(cluster.NextDelta());
            Assert.NotNull(delta);
            Assert.Same(table.Source, delta.Previous);
            table = BalancerTable.Update(table, delta, registry, policy, incremental.IsListed);
        }

        var expected = new VipTableBuilder(allocator).Build(cluster.State());
        AssertSameTable(expected, incremental.Current!);
        var full = BalancerTable.Build(expected, new BackendRegistry(), policy);
        Assert.Equal(Describe(full), Describe(table));
        var listed = expected.Vips.SelectMany(v => v.Backends).Select(b => b.Endpoint).ToHashSet();
        Assert.Equal(listed.Count, registry.Count);
        Assert.All(listed, e => Assert.True(registry.TryGet(e, out _)));
    }

    [Fact]
    public void Apply_BackendChange_ChangesOnlyItsVipAndKeepsOtherRoutes()
    {
        var incremental = new IncrementalVipTable(new VipTableBuilder(new NamedVipAllocator(VipRange.Parse("198.19.0.0/16"))));
        var registry = new BackendRegistry();
        var policy = new RoundRobinPolicy(TimeProvider.System);
        var state = StateBuilderState(Task("web.1", "/web:80", 31001), Task("api.1", "/api:80", 31002));
        var table = BalancerTable.Build(incremental.Rebuild(state), registry, policy);
        var apiRoute = table.Routes.Single(r => r.Definition.Name == "api.marathon");

        var delta = incremental.Apply([new TaskChange("fw", "web.2", Task("web.2", "/web:80", 31003))])!;
        var updated = BalancerTable.Update(table, delta, registry, policy, incremental.IsListed);

        var web = Assert.Single(delta.ChangedVips!);
        Assert.Equal(2, updated.Find(web)!.Backends.Length);
        Assert.Same(apiRoute, updated.Routes.Single(r => r.Definition.Name == "api.marathon"));

        var removed = incremental.Apply([new TaskChange("fw", "web.1", null), new TaskChange("fw", "web.2", null)])!;
        updated = BalancerTable.Update(updated, removed, registry, policy, incremental.IsListed);
        Assert.Null(updated.Find(web));
        Assert.Equal(1, registry.Count);
    }

    [Fact]
    public void Apply_TaskOfUnknownFramework_AsksForRebuild()
    {
        var incremental = new IncrementalVipTable(new VipTableBuilder(new NamedVipAllocator(VipRange.Parse("198.19.0.0/16"))));
        incremental.Rebuild(StateBuilderState(Task("web.1", "/web:80", 31001)));

        Assert.Null(incremental.Apply([new TaskChange("other", "t", Task("t", "/web:80", 31001) with { FrameworkId = "other" })]));
    }

    private static void AssertSameTable(VipTable expected, VipTable actual)
    {
        Assert.Equal(expected.Vips.Select(Describe), actual.Vips.Select(Describe));
        Assert.Equal(expected.NamedVips.Select(n => n.ToString()), actual.NamedVips.Select(n => n.ToString()));
        Assert.Equal(expected.InvalidLabels.Select(n => n.ToString()), actual.InvalidLabels.Select(n => n.ToString()));
    }

    private static string Describe(VipDefinition v) =>
        $"{v.Vip} {v.Name}: {string.Join(",", v.Backends.Select(b => $"{b.Endpoint}/{b.Weight}/{b.TaskId}"))}";

    private static List<string> Describe(BalancerTable table) =>
        [.. table.Routes.Select(r => $"{Describe(r.Definition)} active {string.Join(",", r.Active.Select(a => a.Endpoint))}")];

    private static TaskInfo Task(string id, string vip, int port) => new()
    {
        Id = id,
        Name = id.Split('.')[0],
        FrameworkId = "fw",
        AgentId = "a1",
        State = "TASK_RUNNING",
        Ports = [new PortRange(port, port)],
        Discovery = new DiscoveryInfo { Ports = [new DiscoveryPort { Number = port, Protocol = "tcp", Labels = [new Label("VIP_0", vip)] }] },
    };

    private static ClusterState StateBuilderState(params TaskInfo[] tasks) => new()
    {
        Agents = [new AgentInfo { Id = "a1", Pid = "slave(1)@10.0.0.1:5051" }],
        Frameworks = [new FrameworkInfo { Id = "fw", Name = "marathon", Tasks = tasks }],
    };
}
