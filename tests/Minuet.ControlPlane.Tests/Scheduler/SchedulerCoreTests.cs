using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Scheduler.Storage;
using Minuet.ControlPlane.Tests.Master;

namespace Minuet.ControlPlane.Tests.Scheduler;

public class SchedulerCoreTests
{
    private const string Web = """{"id":"/shop/web","cmd":"sleep 100","instances":2,"cpus":0.5,"mem":64,"portDefinitions":[{"port":0,"name":"http","labels":{"VIP_0":"/shop/web:80"}}]}""";

    [Fact]
    public void CreateApp_WithAgent_TasksLaunchWithMarathonIdsAndReachRunning()
    {
        var h = new SchedulerHarness();
        h.Master.RegisterAgent();
        h.Subscribe();
        var result = h.Core.CreateApp(SchedulerHarness.App(Web));
        Assert.True(result.IsSuccess);
        h.Offer();

        var tasks = h.LiveTasks("/shop/web");
        Assert.Equal(2, tasks.Count);
        Assert.All(tasks, t => Assert.Matches(@"^shop_web\.[0-9a-f]{8}-[0-9a-f]{4}-", t));
        h.RunAll("/shop/web");
        Assert.Equal(TaskState.Running, h.Master.Core.Tasks[tasks[0]].State);
        Assert.Equal(2, h.Core.Read(v => v.Apps["/shop/web"].Tasks.Values.Count(t => t.IsRunning)));

        // The deployment is done once every instance runs.
        h.Core.Tick();
        Assert.Empty(h.Core.Read(v => v.Deployments.Values.ToList()));
    }

    [Fact]
    public void Launch_DiscoveryInfo_CarriesNamePortsVipLabelsAndHostScope()
    {
        var h = new SchedulerHarness();
        h.Master.RegisterAgent();
        h.Subscribe();
        h.Core.CreateApp(SchedulerHarness.App(Web));
        h.Offer();

        var launch = h.LaunchOf(h.LiveTasks("/shop/web")[0]);
        Assert.Equal("web.shop", launch.Name);
        Assert.Equal("web.shop", launch.Discovery!.Name);
        var port = Assert.Single(launch.Discovery.Ports!.Ports);
        Assert.Equal("http", port.Name);
        Assert.Equal("tcp", port.Protocol);
        Assert.Equal(launch.Resources.Ports[0].Begin, port.Number);
        Assert.InRange(port.Number, 31000, 32000);
        Assert.Contains(new Label("VIP_0", "/shop/web:80"), port.Labels!.Labels);
        Assert.Contains(new Label("network-scope", "host"), port.Labels.Labels);
        Assert.Equal(port.Number.ToString(System.Globalization.CultureInfo.InvariantCulture), launch.Command.Environment["PORT_HTTP"]);
        Assert.Equal("/shop/web", launch.Command.Environment["MARATHON_APP_ID"]);
    }

    [Fact]
    public void Scale_UpThenDown_LaunchesThenKillsYoungestFirst()
    {
        var h = new SchedulerHarness();
        h.Master.RegisterAgent();
        h.Subscribe();
        var app = SchedulerHarness.App(Web);
        h.Core.CreateApp(app);
        h.Offer();
        h.RunAll("/shop/web");
        h.Core.Tick();

        Assert.True(h.Core.PutApps([app with { Instances = 4 }]).IsSuccess);
        h.Offer();
        Assert.Equal(4, h.LiveTasks("/shop/web").Count);
        h.Master.Time.Advance(TimeSpan.FromSeconds(1));
        h.RunAll("/shop/web");
        var youngest = h.Core.Read(v => v.Apps["/shop/web"].Tasks.Values.OrderByDescending(t => t.StartedAt).ThenByDescending(t => t.StagedAt).Take(2).Select(t => t.Id).ToHashSet());
        h.Core.Tick();

        var down = h.Core.PutApps([app with { Instances = 2 }]);
        Assert.True(down.IsSuccess);
        Assert.Equal("ScaleApplication", Assert.Single(Assert.Single(down.Deployment!.Steps)).Action);
        h.Pump();
        Assert.Equal(youngest, h.Killed().ToHashSet());
        h.CompleteKills();
        Assert.Equal(2, h.LiveTasks("/shop/web").Count);
        Assert.Empty(h.Core.Read(v => v.Deployments.Values.ToList()));
    }

    [Fact]
    public void Restart_FullHealthCapacity_StartsNewBeforeKillingOld()
    {
        var h = new SchedulerHarness();
        h.Master.RegisterAgent(cpus: 8);
        h.Subscribe();
        h.Core.CreateApp(SchedulerHarness.App(Web));
        h.Offer();
        h.RunAll("/shop/web");
        var old = h.LiveTasks("/shop/web").ToHashSet();

        Assert.True(h.Core.RestartApp("/shop/web").IsSuccess);
        h.Offer();
        Assert.Empty(h.Killed());
        Assert.Equal(4, h.LiveTasks("/shop/web").Count);

        h.RunAll("/shop/web");
        Assert.Equal(old, h.Killed().ToHashSet());
        h.CompleteKills();
        Assert.Equal(2, h.LiveTasks("/shop/web").Count);
        Assert.DoesNotContain(h.LiveTasks("/shop/web"), old.Contains);
    }

    [Fact]
    public void Group_Dependencies_DependentWaitsUntilDependencyHealthy()
    {
        var h = new SchedulerHarness();
        h.Master.RegisterAgent(cpus: 8);
        h.Subscribe();
        var db = SchedulerHarness.App("""{"id":"/g/db","cmd":"sleep 9","cpus":0.1,"mem":32}""");
        var svc = SchedulerHarness.App("""{"id":"/g/svc","cmd":"sleep 9","cpus":0.1,"mem":32,"dependencies":["/g/db"]}""");
        var result = h.Core.PutGroup("/g", [db, svc], [new StoredGroup("/g", [])], create: true);
        Assert.Equal(2, result.Deployment!.Steps.Count);
        h.Offer();
        Assert.Single(h.LiveTasks("/g/db"));
        Assert.Empty(h.LiveTasks("/g/svc"));

        h.RunAll("/g/db");
        h.Offer();
        Assert.Single(h.LiveTasks("/g/svc"));
    }

    [Fact]
    public void Change_WhileDeploymentRuns_Is409UnlessForced()
    {
        var h = new SchedulerHarness();
        h.Subscribe();
        var app = SchedulerHarness.App(Web);
        var first = h.Core.CreateApp(app);
        var conflict = h.Core.PutApps([app with { Instances = 5 }]);
        Assert.Equal(409, conflict.Status);
        Assert.Equal(first.Deployment!.Id, Assert.Single(conflict.Conflicts).Id);

        var forced = h.Core.PutApps([app with { Instances = 5 }], force: true);
        Assert.True(forced.IsSuccess);
        Assert.Equal(forced.Deployment!.Id, Assert.Single(h.Core.Read(v => v.Deployments.Keys.ToList())));
    }

    [Fact]
    public void DeleteGroup_WhileItsDeploymentRuns_Is409AndLeavesGroupAndAppsUntouched()
    {
        var h = new SchedulerHarness();
        h.Subscribe();
        var db = SchedulerHarness.App("""{"id":"/g/db","cmd":"sleep 9","cpus":0.1,"mem":32}""");
        var web = SchedulerHarness.App("""{"id":"/g/sub/web","cmd":"sleep 9","cpus":0.1,"mem":32}""");
        var created = h.Core.PutGroup("/g", [db, web], [new StoredGroup("/g", []), new StoredGroup("/g/sub", ["/g/db"])], create: true);
        Assert.True(created.IsSuccess);
        var groupsBefore = h.Core.Read(v => v.Groups.Keys.Order(StringComparer.Ordinal).ToList());

        var refused = h.Core.DeleteGroup("/g");

        Assert.Equal(409, refused.Status);
        Assert.Equal(created.Deployment!.Id, Assert.Single(refused.Conflicts).Id);
        Assert.Equal(["/g", "/g/sub"], groupsBefore);
        Assert.Equal(groupsBefore, h.Core.Read(v => v.Groups.Keys.Order(StringComparer.Ordinal).ToList()));
        Assert.Equal(["/g/db"], h.Core.Read(v => v.Groups["/g/sub"].Dependencies));
        Assert.Equal(groupsBefore, h.Store.Load().Groups.Select(g => g.Id).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(["/g/db", "/g/sub/web"], h.Core.Read(v => v.VisibleApps.Select(a => a.Definition.Id).ToList()));
        Assert.Equal([created.Deployment.Id], h.Core.Read(v => v.Deployments.Keys.ToList()));

        Assert.True(h.Core.DeleteGroup("/g", force: true).IsSuccess);
        Assert.Empty(h.Core.Read(v => v.Groups.Keys.ToList()));
        Assert.Empty(h.Store.Load().Groups);
    }

    [Fact]
    public void CancelDeployment_RollsBackToPreviousDefinition()
    {
        var h = new SchedulerHarness();
        h.Subscribe();
        var app = SchedulerHarness.App(Web);
        h.Core.CreateApp(app, force: true);
        h.Core.CancelDeployment(h.Core.Read(v => v.Deployments.Keys.Single()), force: true);
        var scale = h.Core.PutApps([app with { Instances = 7 }]);

        var rollback = h.Core.CancelDeployment(scale.Deployment!.Id, force: false);
        Assert.True(rollback.IsSuccess);
        Assert.Equal(2, h.Core.Read(v => v.Apps["/shop/web"].Definition.Instances));
    }

    [Fact]
    public void Events_LaunchHealthAndDeployment_ArePublished()
    {
        var h = new SchedulerHarness();
        h.Master.RegisterAgent();
        h.Subscribe();
        using var events = h.Core.Events.Subscribe(null);
        h.Core.CreateApp(SchedulerHarness.App("""{"id":"/hc","cmd":"sleep 9","cpus":0.1,"mem":32,"healthChecks":[{"protocol":"TCP"}]}"""));
        h.Offer();
        var task = Assert.Single(h.LiveTasks("/hc"));
        h.Report(task, TaskState.Running);
        Assert.NotEmpty(h.Core.Read(v => v.Deployments.Keys.ToList()));
        h.Report(task, TaskState.Running, healthy: true);
        h.Core.Tick();

        var seen = new List<string>();
        while (events.Reader.TryRead(out var e))
        {
            seen.Add(e.Type);
            if (e.Type == "health_status_changed_event")
            {
                Assert.Contains("\"alive\":true", e.Json, StringComparison.Ordinal);
            }
        }

        Assert.Equal(["deployment_info", "api_post_event", "status_update_event", "status_update_event", "health_status_changed_event", "deployment_success"], seen);
        var launch = h.LaunchOf(task);
        Assert.Equal("TCP", launch.HealthCheck!.Type);
        Assert.Equal(launch.Resources.Ports[0].Begin, launch.HealthCheck.Tcp!.Port);
        Assert.Equal((300d, 60d, 20d, 3), (launch.HealthCheck.GracePeriodSeconds, launch.HealthCheck.IntervalSeconds, launch.HealthCheck.TimeoutSeconds, launch.HealthCheck.ConsecutiveFailures));
    }

    [Fact]
    public void Deploy_ThousandInstancesOnTenAgents_AllRunAndSpreadByConstraint()
    {
        var h = new SchedulerHarness();
        for (int i = 0; i < 10; i++)
        {
            h.Master.RegisterAgent($"10.0.1.{i + 1}", cpus: 64, mem: 65536);
        }

        h.Subscribe();
        h.Core.CreateApp(SchedulerHarness.App("""{"id":"/big","cmd":"sleep 9","instances":1000,"cpus":0.05,"mem":16,"constraints":[["hostname","MAX_PER","100"]]}"""));
        h.Offer();
        Assert.Equal(1000, h.LiveTasks("/big").Count);
        var perAgent = h.Master.Dispatcher.Launches.GroupBy(l => l.Launch.AgentId).Select(g => g.Count()).ToList();
        Assert.Equal(10, perAgent.Count);
        Assert.All(perAgent, c => Assert.Equal(100, c));
        Assert.Equal(1000, h.Master.Dispatcher.Launches.Select(l => (l.Launch.AgentId, l.Launch.Resources.Ports[0].Begin)).Distinct().Count());

        h.RunAll("/big");
        h.Core.Tick();
        Assert.Empty(h.Core.Read(v => v.Deployments.Keys.ToList()));
    }
}
