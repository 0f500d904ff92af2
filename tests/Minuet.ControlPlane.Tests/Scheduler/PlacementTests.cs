using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Scheduler.Apps;
using Minuet.ControlPlane.Scheduler.Launching;
using Minuet.ControlPlane.Scheduler.Validation;

namespace Minuet.ControlPlane.Tests.Scheduler;

public class PlacementTests
{
    private static PlacementTarget Agent(string host, string? rack = null) =>
        new(host, rack is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["rack"] = rack });

    [Theory]
    [InlineData("hostname", "Unique", null, "a1", new[] { "a2" }, true)]
    [InlineData("hostname", "Unique", null, "a1", new[] { "a1" }, false)]
    [InlineData("@hostname", "Unique", null, "a1", new[] { "a1" }, false)]
    [InlineData("rack", "Cluster", "r1", "a1", new string[0], true)]
    [InlineData("rack", "Cluster", "r2", "a1", new string[0], false)]
    [InlineData("rack", "Cluster", null, "a1", new[] { "a9" }, true)]
    [InlineData("hostname", "Cluster", null, "a1", new[] { "a9" }, false)]
    [InlineData("hostname", "Like", "a[0-9]", "a1", new string[0], true)]
    [InlineData("hostname", "Like", "a", "a1", new string[0], false)]
    [InlineData("hostname", "Unlike", "a[0-9]", "a1", new string[0], false)]
    [InlineData("zone", "Unlike", "z1", "a1", new string[0], true)]
    [InlineData("zone", "Like", ".*", "a1", new string[0], false)]
    [InlineData("hostname", "MaxPer", "2", "a1", new[] { "a1" }, true)]
    [InlineData("hostname", "MaxPer", "2", "a1", new[] { "a1", "a1" }, false)]
    [InlineData("hostname", "GroupBy", null, "a1", new[] { "a2" }, true)]
    [InlineData("hostname", "GroupBy", null, "a1", new[] { "a1", "a2" }, true)]
    [InlineData("hostname", "GroupBy", null, "a1", new[] { "a1", "a1", "a2" }, false)]
    [InlineData("hostname", "GroupBy", "3", "a1", new[] { "a1", "a2" }, false)]
    [InlineData("hostname", "Is", "a1", "a1", new string[0], true)]
    [InlineData("hostname", "Is", "a2", "a1", new string[0], false)]
    public void Matches_Operator_FollowsMarathonRules(string field, string op, string? value, string host, string[] placedHosts, bool expected)
    {
        var placed = placedHosts.Select(h => Agent(h, "r1")).ToList();
        Assert.Equal(expected, ConstraintMatcher.Matches(new ConstraintSpec(field, Enum.Parse<ConstraintOperator>(op), value), Agent(host, "r1"), placed));
    }

    [Fact]
    public void Assign_DynamicAndFixedPorts_TakesFixedThenLowestFree()
    {
        var free = PortAssigner.Expand([new PortRange(31000, 31002), new PortRange(31010, 31010)]);
        var ports = new List<AppPort>
        {
            new("a", "tcp", new Dictionary<string, string>(), null, 0, 10000),
            new("b", "tcp", new Dictionary<string, string>(), null, 31010, 10001),
            new("c", "tcp", new Dictionary<string, string>(), 80, null, 10002),
            new("d", "tcp", new Dictionary<string, string>(), null, 0, 10003),
        };
        Assert.Equal([31000, 31010, null, 31001], PortAssigner.Assign(ports, free)!);
    }

    [Fact]
    public void Assign_FixedPortNotOffered_ReturnsNull()
    {
        var free = PortAssigner.Expand([new PortRange(31000, 31005)]);
        Assert.Null(PortAssigner.Assign([new AppPort(null, "tcp", new Dictionary<string, string>(), null, 80, 80)], free));
    }

    [Fact]
    public void Assign_MorePortsThanOffered_ReturnsNull()
    {
        var free = PortAssigner.Expand([new PortRange(31000, 31000)]);
        var zero = new AppPort(null, "tcp", new Dictionary<string, string>(), null, 0, 0);
        Assert.Null(PortAssigner.Assign([zero, zero], free));
    }

    [Fact]
    public void ToRanges_MergesAdjacentPorts()
    {
        Assert.Equal([new PortRange(31000, 31001), new PortRange(31005, 31005)], PortAssigner.ToRanges([31005, 31001, 31000]));
    }

    [Fact]
    public void ServicePorts_ZeroGetsFreeOneAndUpdateKeepsIt()
    {
        var app = SchedulerHarness.App("""{"id":"/a","cmd":"x","portDefinitions":[{"port":0},{"port":0}]}""");
        var used = new HashSet<int> { 10000 };
        var first = ServicePorts.Assign(app, null, used);
        Assert.Equal([10001, 10002], first.PortDefinitions.Select(p => p.Port));
        var update = ServicePorts.Assign(app, first, [10000]);
        Assert.Equal([10001, 10002], update.PortDefinitions.Select(p => p.Port));
    }

    [Theory]
    [InlineData("/group/app", "group_app", "app.group")]
    [InlineData("/app", "app", "app")]
    [InlineData("/a/b/c", "a_b_c", "c.b.a")]
    public void PathIds_TaskPrefixAndHostname_FollowMarathon(string id, string safe, string hostname)
    {
        Assert.Equal(safe, PathIds.SafeId(id));
        Assert.Equal(hostname, PathIds.Hostname(id));
    }

    [Theory]
    [InlineData("app", "/g", "/g/app")]
    [InlineData("../x", "/g/h", "/g/x")]
    [InlineData("/abs", "/g", "/abs")]
    [InlineData("./a", "/", "/a")]
    public void PathIds_Resolve_RelativeToParent(string id, string parent, string expected) =>
        Assert.Equal(expected, PathIds.Resolve(id, parent));
}
