using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler;
using Minuet.ControlPlane.Scheduler.Storage;
using Minuet.ControlPlane.Tests.Master;

namespace Minuet.ControlPlane.Tests.Scheduler;

/// <summary>App definition history: kept per change, trimmed, persisted, and used to rebuild old tasks' checks.</summary>
public class SchedulerVersionsTests
{
    private const string V1 = """
        {"id":"/h","cmd":"sleep 9","cpus":0.1,"mem":32,"portDefinitions":[{"port":0},{"port":0}],
         "healthChecks":[{"protocol":"TCP","portIndex":0},{"protocol":"TCP","portIndex":1}]}
        """;

    [Fact]
    public void Changes_BeyondMaxVersions_OldestDropped()
    {
        var h = new SchedulerHarness(options: new SchedulerOptions { MaxVersions = 3 });
        h.Master.RegisterAgent();
        h.Subscribe();
        var app = SchedulerHarness.App(V1);
        Assert.True(h.Core.CreateApp(app).IsSuccess);
        var first = h.Core.Read(v => v.Apps["/h"].Definition.Version);
        for (int i = 2; i <= 5; i++)
        {
            h.Master.Time.Advance(TimeSpan.FromSeconds(1));
            Assert.True(h.Core.PutApps([app with { Instances = i }], force: true).IsSuccess);
        }

        var versions = h.Core.Read(v => v.Apps["/h"].Versions.Keys.ToList());
        Assert.Equal(3, versions.Count);
        Assert.DoesNotContain(first, versions);
        Assert.Equal(3, h.Store.Load().AppVersions.Count);
    }

    [Fact]
    public void Restart_OldVersionTask_KeepsTheChecksOfItsOwnDefinition()
    {
        var dir = Directory.CreateTempSubdirectory("minuet-sched-");
        try
        {
            var master = new TestMaster();
            master.RegisterAgent();
            string taskId;
            using (var store = SqliteSchedulerStore.Open(dir.FullName))
            {
                var h = new SchedulerHarness(store, master);
                h.Subscribe();
                var app = SchedulerHarness.App(V1);
                h.Core.CreateApp(app);
                h.Offer();
                taskId = Assert.Single(h.LiveTasks("/h"));
                h.Report(taskId, TaskState.Running, healthy: true);
                master.Time.Advance(TimeSpan.FromSeconds(1));
                Assert.True(h.Core.PutApps([app with { HealthChecks = [], Cmd = "sleep 10" }], force: true).IsSuccess);
            }

            using var reopened = SqliteSchedulerStore.Open(dir.FullName);
            var again = new SchedulerHarness(reopened, master);
            Assert.Equal(2, again.Core.Read(v => v.Apps["/h"].Versions.Count));
            var checks = again.Core.Read(v => v.Apps["/h"].Tasks[taskId].Checks.Select(c => (c.Index, c.OnAgent, c.Alive)).ToList());
            Assert.Equal([(0, true, (bool?)true), (1, false, null)], checks);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }
}
