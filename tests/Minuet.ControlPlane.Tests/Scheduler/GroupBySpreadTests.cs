using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Tests.Scheduler;

/// <summary>GROUP_BY spreads instances evenly over the agents that offer (issue: 4 instances landed on 1 of 2 agents).</summary>
public class GroupBySpreadTests
{
    [Theory]
    [InlineData("""["hostname","GROUP_BY"]""")]
    [InlineData("""["hostname","GROUP_BY","2"]""")]
    public void Launch_FourInstancesOnTwoAgents_TwoOnEach(string constraint)
    {
        var h = new SchedulerHarness();
        h.Master.RegisterAgent("10.0.0.11", cpus: 8);
        h.Master.RegisterAgent("10.0.0.12", cpus: 8);
        h.Subscribe();
        Assert.True(h.Core.CreateApp(SchedulerHarness.App($$"""{"id":"/spread","cmd":"sleep 100","instances":4,"cpus":0.1,"mem":16,"constraints":[{{constraint}}]}""")).IsSuccess);

        for (int round = 0; round < 5 && h.LiveTasks("/spread").Count < 4; round++)
        {
            h.Offer();
        }

        var hosts = h.Core.Read(v => v.Apps["/spread"].Tasks.Values.Where(t => t.IsLive).Select(t => t.Host).ToList());
        Assert.Equal(4, hosts.Count);
        Assert.Equal([2, 2], hosts.GroupBy(x => x).Select(g => g.Count()).Order().ToArray());
    }

    [Fact]
    public void Launch_GroupByWithAnAgentTooSmallForTheApp_StillLaunchesEveryInstance()
    {
        var h = new SchedulerHarness();
        h.Master.RegisterAgent("10.0.0.11", cpus: 8);
        h.Master.RegisterAgent("10.0.0.12", cpus: 0.05);
        h.Subscribe();
        Assert.True(h.Core.CreateApp(SchedulerHarness.App("""{"id":"/spread","cmd":"sleep 100","instances":3,"cpus":0.1,"mem":16,"constraints":[["hostname","GROUP_BY"]]}""")).IsSuccess);

        for (int round = 0; round < 6 && h.LiveTasks("/spread").Count < 3; round++)
        {
            h.Offer();
        }

        Assert.Equal(3, h.LiveTasks("/spread").Count);
    }
}
