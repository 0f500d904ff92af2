using Minuet.ControlPlane.Scheduler.Apps;
using Minuet.ControlPlane.Scheduler.Deployments;
using Minuet.ControlPlane.Scheduler.Events;
using Minuet.ControlPlane.Scheduler.Tasks;

namespace Minuet.ControlPlane.Tests.Scheduler;

public class DeploymentLogicTests
{
    [Theory]
    // instances, min health, over capacity, old live, old healthy, new live, new healthy, killing → kill, launch
    [InlineData(3, 1.0, 1.0, 3, 3, 0, 0, 0, 0, 3)]   // 100% healthy, 100% over: start all new first
    [InlineData(3, 1.0, 1.0, 3, 3, 3, 3, 0, 3, 0)]   // all new healthy: kill all old
    [InlineData(3, 1.0, 1.0, 3, 3, 3, 1, 0, 1, 0)]   // one new healthy: one old may go
    [InlineData(4, 0.5, 0.0, 4, 4, 0, 0, 0, 2, 2)]   // half may go, no extra: kill 2, start 2
    [InlineData(1, 0.0, 0.0, 1, 1, 0, 0, 0, 1, 1)]   // 0/0: kill old, start new at once
    [InlineData(2, 1.0, 0.0, 2, 2, 0, 0, 0, 0, 1)]   // 100%/0%: no room, nothing may stop: one temporary extra starts (Marathon)
    [InlineData(2, 1.0, 0.0, 2, 2, 1, 0, 0, 0, 0)]   // ...then wait for it to be healthy, stopping nothing
    [InlineData(2, 1.0, 0.0, 2, 2, 1, 1, 0, 1, 1)]   // ...then one old goes and the next new one starts
    [InlineData(2, 1.0, 0.0, 1, 1, 0, 0, 1, 0, 0)]   // a kill in flight holds capacity: wait for it to end
    [InlineData(3, 0.7, 0.0, 3, 3, 0, 0, 0, 0, 1)]   // ceil(3 × 0.7) = 3 must stay = max: one temporary extra, no kill
    [InlineData(3, 1.0, 1.0, 3, 1, 0, 0, 0, 2, 3)]   // unhealthy old tasks go at once
    public void Next_UpgradeStrategy_KeepsHealthFloorAndCapacityCeiling(int instances, double minHealth, double over,
        int oldLive, int oldHealthy, int newLive, int newHealthy, int killing, int expectedKill, int expectedLaunch)
    {
        var step = RollingPlanner.Next(instances, new UpgradeStrategySpec(minHealth, over), oldLive, oldHealthy, newLive, newHealthy, killing);
        Assert.Equal(new RollingStep(expectedKill, expectedLaunch), step);
    }

    [Fact]
    public void MinHealthy_MarathonExample_RoundsUp() => Assert.Equal(3, RollingPlanner.MinHealthy(3, new UpgradeStrategySpec(0.7, 0)));

    [Theory]
    [InlineData(1, 1.0)]
    [InlineData(2, 1.15)]
    [InlineData(3, 1.3225)]
    [InlineData(100, 300.0)]
    public void Delay_Failures_GrowsByFactorUpToMax(int failures, double expectedSeconds) =>
        Assert.Equal(expectedSeconds, Backoff.Delay(1, 1.15, 300, failures).TotalSeconds, 3);

    [Fact]
    public void Delay_NoFailures_IsZero() => Assert.Equal(TimeSpan.Zero, Backoff.Delay(1, 1.15, 300, 0));

    [Fact]
    public void Choose_ScaleDown_NotRunningFirstThenBySelection()
    {
        var t0 = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        SchedulerTask Task(string id, int startedMinute, bool running) => new()
        {
            Id = id, AppId = "/a", AgentId = "s", Host = "h", StagedAt = t0, StartedAt = running ? t0.AddMinutes(startedMinute) : null,
            State = running ? Minuet.ControlPlane.Master.TaskState.Running : Minuet.ControlPlane.Master.TaskState.Staging,
        };
        var tasks = new[] { Task("old", 1, true), Task("young", 5, true), Task("staging", 0, false), Task("mid", 3, true) };
        Assert.Equal(["staging", "young"], KillChooser.Choose(tasks, 2, KillSelection.YoungestFirst).Select(t => t.Id));
        Assert.Equal(["staging", "old"], KillChooser.Choose(tasks, 2, KillSelection.OldestFirst).Select(t => t.Id));
    }

    [Fact]
    public void Plan_Dependencies_OrderStepsByDepth()
    {
        var db = SchedulerHarness.App("""{"id":"/p/db","cmd":"x"}""");
        var api = SchedulerHarness.App("""{"id":"/p/api","cmd":"x","dependencies":["/p/db"]}""");
        var web = SchedulerHarness.App("""{"id":"/p/web","cmd":"x","dependencies":["/p/api"]}""");
        var after = new Dictionary<string, AppDefinition?> { [db.Id] = db, [api.Id] = api, [web.Id] = web };
        var plan = DeploymentPlanner.Plan(new Dictionary<string, AppDefinition?>(), after, new Dictionary<string, string?>(), DateTimeOffset.UnixEpoch);
        Assert.Equal(["/p/db", "/p/api", "/p/web"], plan.Steps.Select(s => s[0].App));
        Assert.All(plan.Steps, s => Assert.Equal(["StartApplication", "ScaleApplication"], s.Select(a => a.Action)));
    }

    [Fact]
    public void Plan_Changes_PickScaleRestartStop()
    {
        var a = SchedulerHarness.App("""{"id":"/a","cmd":"x"}""");
        var b = SchedulerHarness.App("""{"id":"/b","cmd":"x"}""");
        var c = SchedulerHarness.App("""{"id":"/c","cmd":"x"}""");
        var before = new Dictionary<string, AppDefinition?> { ["/a"] = a, ["/b"] = b, ["/c"] = c };
        var after = new Dictionary<string, AppDefinition?> { ["/a"] = a with { Instances = 5 }, ["/b"] = b with { Cmd = "y" }, ["/c"] = null };
        var plan = DeploymentPlanner.Plan(before, after, new Dictionary<string, string?>(), DateTimeOffset.UnixEpoch);
        var actions = plan.Steps.SelectMany(s => s).ToDictionary(x => x.App, x => x.Action);
        Assert.Equal("ScaleApplication", actions["/a"]);
        Assert.Equal("RestartApplication", actions["/b"]);
        Assert.Equal("StopApplication", actions["/c"]);
        Assert.Equal("StopApplication", plan.Steps[0][0].Action);
    }

    [Fact]
    public void Publish_EventTypeFilter_DeliversOnlyChosenTypes()
    {
        var bus = new EventBus();
        using var all = bus.Subscribe(null);
        using var deployments = bus.Subscribe(["deployment_success", "deployment_failed"]);
        var at = DateTimeOffset.UnixEpoch;
        bus.Publish(MarathonEvent.Create("status_update_event", at, w => w.WriteString("taskId", "t1")));
        bus.Publish(MarathonEvent.Create("deployment_success", at, w => w.WriteString("id", "d1")));

        Assert.True(deployments.Reader.TryRead(out var only));
        Assert.Equal("deployment_success", only!.Type);
        Assert.Contains("\"eventType\":\"deployment_success\"", only.Json, StringComparison.Ordinal);
        Assert.False(deployments.Reader.TryRead(out _));
        Assert.True(all.Reader.TryRead(out var first));
        Assert.Equal("status_update_event", first!.Type);
        Assert.True(all.Reader.TryRead(out _));
    }
}
