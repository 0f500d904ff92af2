using System.Net;
using Minuet.Cli.Cluster;

namespace Minuet.IntegrationTests.Cli;

/// <summary><c>up</c>'s agents offer DC/OS's port ranges less every port the plan itself listens on.</summary>
public sealed class ClusterPlanPortsTests
{
    [Fact]
    public void AgentPorts_DefaultRootPlan_AreDcosDefaultRanges()
    {
        var ranges = ClusterPlan.AgentPorts(new UpOptions { StateDir = "/s" }, 0);

        Assert.Equal("1025-2180,2182-3887,3889-4399,4401-5049,5052-7069,7071-8079,8082-8180,8182-8999,9001-32000", ClusterPlan.FormatRanges(ranges));
    }

    [Fact]
    public void AgentPorts_UnprivilegedDnsAndMovedMarathon_LeaveOutEachOwnPort()
    {
        var options = new UpOptions
        {
            StateDir = "/s",
            DnsListen = new IPEndPoint(IPAddress.Loopback, 8053),
            MarathonListen = new IPEndPoint(IPAddress.Loopback, 10000),
            MasterListen = new IPEndPoint(IPAddress.Loopback, 1025),
            HttpListen = new IPEndPoint(IPAddress.Loopback, 32000),
        };

        var ranges = ClusterPlan.AgentPorts(options, 0);

        Assert.Equal("1026-2180,2182-3887,3889-4399,4401-5049,5052-7069,7071-8052,8054-8079,8082-8180,8182-8999,9001-9999,10001-31999", ClusterPlan.FormatRanges(ranges));
    }

    [Theory]
    [InlineData(1, 2025)]
    [InlineData(29, 30025)]
    public void AgentPorts_LaterAgents_StartHigherSoLowestFreePicksDoNotCollide(int index, int lowest)
    {
        var ranges = ClusterPlan.AgentPorts(new UpOptions { StateDir = "/s" }, index);

        Assert.Equal(lowest, ranges[0].Begin);
        Assert.Equal(32000, ranges[^1].End);
    }

    [Fact]
    public void Build_EveryAgent_OffersNoPortAnyMemberListensOn()
    {
        var options = new UpOptions { StateDir = "/s", Agents = 3, DnsListen = new IPEndPoint(IPAddress.Loopback, 8053), HttpListen = new IPEndPoint(IPAddress.Loopback, 20000) };
        var own = ClusterPlan.OwnPorts(options);
        Assert.Equal([80, 4400, 5050, 5051, 7070, 8053, 8080, 9000, 20000], own);

        foreach (var agent in ClusterPlan.Build(options).Where(m => m.Name.StartsWith("agent", StringComparison.Ordinal)))
        {
            string resource = agent.Arguments[agent.Arguments.ToList().IndexOf("--resources") + 1];
            Assert.StartsWith("ports:[", resource, StringComparison.Ordinal);
            foreach (string range in resource["ports:[".Length..^1].Split(','))
            {
                var bounds = range.Split('-').Select(int.Parse).ToArray();
                Assert.DoesNotContain(own, port => port >= bounds[0] && port <= bounds[1]);
            }
        }
    }
}
