using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Scheduler;
using Minuet.ControlPlane.Scheduler.Storage;
using Minuet.ControlPlane.Tests.Master;

namespace Minuet.ControlPlane.Tests.Scheduler;

public class SchedulerCoreRecoveryTests
{
    private const string Web = """{"id":"/shop/web","cmd":"sleep 100","instances":2,"cpus":0.5,"mem":64,"portDefinitions":[{"port":0,"name":"http","labels":{"VIP_0":"/shop/web:80"}}]}""";

    [Fact]
    public void FailedTask_IsReplacedAfterBackoff()
    {
        var h = new SchedulerHarness();
        h.Master.RegisterAgent();
        h.Subscribe();
        h.Core.CreateApp(SchedulerHarness.App("""{"id":"/crash","cmd":"exit 1","cpus":0.1,"mem":32,"backoffSeconds":30}"""));
        h.Offer();
        var first = Assert.Single(h.LiveTasks("/crash"));
        h.Report(first, TaskState.Failed);

        Assert.Empty(h.LiveTasks("/crash"));
        h.Offer(); // 6 s later: still inside the 30 s backoff.
        Assert.Empty(h.LiveTasks("/crash"));
        Assert.Equal(1, h.Core.Read(v => v.Apps["/crash"].Failures));

        h.Master.Time.Advance(TimeSpan.FromSeconds(30));
        h.Offer();
        Assert.Single(h.LiveTasks("/crash"));
    }

    [Fact]
    public void UnreachableTask_IsReplacedOnAnotherAgent()
    {
        var (h, a1, _, first) = RunningOnFirstOfTwoAgents();

        // The first agent goes silent for longer than 15 s × 5.
        for (int i = 0; i < 20; i++)
        {
            h.Master.Time.Advance(TimeSpan.FromSeconds(5));
            var other = h.Master.Core.Agents.Keys.First(k => k != a1);
            h.Master.Core.Heartbeat(other, new HeartbeatRequest { AgentId = other });
            h.Master.Core.Tick(h.Master.Time.Now);
            h.Pump();
        }

        h.Offer();
        var replacement = Assert.Single(h.LiveTasks("/u"));
        Assert.NotEqual(first, replacement);
        Assert.NotEqual(a1, h.LaunchOf(replacement).AgentId);
    }

    [Fact]
    public void UnreachableTask_ExpungeAfterZero_IsForgottenAtOnceAndKilledWhenItsAgentReturns()
    {
        var (h, a1, a2, first) = RunningOnFirstOfTwoAgents();
        var launch = h.LaunchOf(first);

        for (int i = 0; i < 20 && h.Core.Read(v => v.Apps["/u"].Tasks.ContainsKey(first)) && h.Master.Core.Tasks[first].State != TaskState.Unreachable; i++)
        {
            h.Master.Time.Advance(TimeSpan.FromSeconds(5));
            h.Master.Core.Heartbeat(a2, new HeartbeatRequest { AgentId = a2 });
            h.Master.Core.Tick(h.Master.Time.Now);
            h.Pump();
        }

        // expungeAfterSeconds 0: the unreachable task is no longer the scheduler's (not listed, not counted).
        Assert.Equal(TaskState.Unreachable, h.Master.Core.Tasks[first].State);
        Assert.False(h.Core.Read(v => v.Apps["/u"].Tasks.ContainsKey(first)));
        h.Offer();
        Assert.NotEqual(first, Assert.Single(h.LiveTasks("/u")));

        // The agent comes back with the old task still running: it is an unknown task now and is killed.
        var status = h.Master.Status(first, launch.FrameworkId, a1, TaskState.Running);
        var (_, error) = h.Master.Core.RegisterAgent(Minuet.ControlPlane.Tests.Master.TestMaster.AgentRequest(a1, "10.0.0.11", tasks: [new ReportedTask { Launch = launch, LatestStatus = status }]));
        Assert.Null(error);
        h.Pump();
        Assert.Contains(first, h.Killed());
        Assert.False(h.Core.Read(v => v.Apps["/u"].Tasks.ContainsKey(first)));
    }

    [Fact]
    public void StagingTask_PastTaskLaunchTimeout_IsKilledCountedAndReplaced()
    {
        var h = new SchedulerHarness(options: new SchedulerOptions { TaskLaunchTimeout = TimeSpan.FromSeconds(60) });
        h.Master.RegisterAgent();
        h.Subscribe();
        h.Core.CreateApp(SchedulerHarness.App("""{"id":"/stuck","cmd":"sleep 9","cpus":0.1,"mem":32}"""));
        h.Offer();
        var stuck = Assert.Single(h.LiveTasks("/stuck"));

        // Just before the timeout nothing happens; a running task is never touched by it.
        h.Master.Time.Advance(TimeSpan.FromSeconds(50));
        h.Core.Tick();
        h.Pump();
        Assert.DoesNotContain(stuck, h.Killed());

        h.Master.Time.Advance(TimeSpan.FromSeconds(11));
        h.Core.Tick();
        h.Pump();
        Assert.Contains(stuck, h.Killed());
        h.CompleteKills();

        var app = h.Core.Read(v => v.Apps["/stuck"]);
        Assert.Equal(1, app.Failures);
        Assert.Contains("task_launch_timeout (60 s)", app.LastFailure!.Message, StringComparison.Ordinal);
        h.Offer();
        var replacement = Assert.Single(h.LiveTasks("/stuck"));
        Assert.NotEqual(stuck, replacement);

        h.Report(replacement, TaskState.Running);
        h.Master.Time.Advance(TimeSpan.FromSeconds(120));
        h.Core.Tick();
        h.Pump();
        Assert.DoesNotContain(replacement, h.Killed());
    }

    [Fact]
    public void Kill_NotConfirmed_IsSentAgainAfterKillRetryUntilTheTaskEnds()
    {
        var h = new SchedulerHarness();
        h.Master.RegisterAgent();
        h.Subscribe();
        h.Core.CreateApp(SchedulerHarness.App("""{"id":"/k","cmd":"sleep 9","cpus":0.1,"mem":32}"""));
        h.Offer();
        var task = Assert.Single(h.LiveTasks("/k"));
        h.Report(task, TaskState.Running);
        h.Core.Tick();
        Assert.True(h.Core.DeleteApp("/k").IsSuccess);
        h.Pump();
        Assert.Single(h.Killed(), k => k == task);

        // The agent never confirms (the kill was refused or lost on the way): it goes again after the retry time.
        h.Master.Time.Advance(TimeSpan.FromSeconds(5));
        h.Core.Tick();
        h.Pump();
        Assert.Single(h.Killed(), k => k == task);
        h.Master.Time.Advance(TimeSpan.FromSeconds(6));
        h.Core.Tick();
        h.Pump();
        Assert.Equal(2, h.Killed().Count(k => k == task));

        h.CompleteKills();
        h.Master.Time.Advance(TimeSpan.FromSeconds(30));
        h.Core.Tick();
        h.Pump();
        Assert.Equal(2, h.Killed().Count(k => k == task));
    }

    [Fact]
    public void Restart_OfScheduler_RecoversAppsTasksAndFrameworkFromStore()
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
                h.Core.CreateApp(SchedulerHarness.App("""{"id":"/keep","cmd":"sleep 9","cpus":0.1,"mem":32}"""));
                h.Offer();
                taskId = Assert.Single(h.LiveTasks("/keep"));
                h.Report(taskId, TaskState.Running);
            }

            using var reopened = SqliteSchedulerStore.Open(dir.FullName);
            var again = new SchedulerHarness(reopened, master);
            Assert.NotNull(again.Core.FrameworkId);
            again.Subscribe();
            again.Offer();
            Assert.Equal([taskId], again.LiveTasks("/keep"));
            Assert.Single(master.Dispatcher.Launches);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void KillTasks_WithScale_ShrinksAppAndIsRefusedWhileLocked()
    {
        var h = new SchedulerHarness();
        h.Master.RegisterAgent();
        h.Subscribe();
        h.Core.CreateApp(SchedulerHarness.App(Web));
        h.Offer();
        var victim = h.LiveTasks("/shop/web")[0];

        // The start deployment still runs (tasks are staging): a scaling kill is refused and kills nothing.
        Assert.Equal(409, h.Core.KillTasks([victim], scale: true).Status);
        Assert.Empty(h.Killed());

        h.RunAll("/shop/web");
        h.Core.Tick();
        var result = h.Core.KillTasks([victim], scale: true);
        Assert.True(result.IsSuccess);
        h.Pump();
        Assert.Equal([victim], h.Killed());
        Assert.Equal(1, h.Core.Read(v => v.Apps["/shop/web"].Definition.Instances));
        h.CompleteKills();
        h.Offer();
        Assert.Single(h.LiveTasks("/shop/web"));
    }

    [Fact]
    public void KillTasks_WithoutScale_TaskIsReplaced()
    {
        var h = new SchedulerHarness();
        h.Master.RegisterAgent();
        h.Subscribe();
        h.Core.CreateApp(SchedulerHarness.App(Web));
        h.Offer();
        h.RunAll("/shop/web");
        var victim = h.LiveTasks("/shop/web")[0];
        Assert.True(h.Core.KillTasks([victim], scale: false).IsSuccess);
        h.Pump();
        h.CompleteKills();
        h.Offer();
        var live = h.LiveTasks("/shop/web");
        Assert.Equal(2, live.Count);
        Assert.DoesNotContain(victim, live);
        Assert.Equal(0, h.Core.Read(v => v.Apps["/shop/web"].Failures));
    }

    [Fact]
    public void UnhealthyTask_KilledByAgent_IsReplacedWithBackoff()
    {
        var h = new SchedulerHarness();
        h.Master.RegisterAgent();
        h.Subscribe();
        h.Core.CreateApp(SchedulerHarness.App("""{"id":"/sick","cmd":"sleep 9","cpus":0.1,"mem":32,"backoffSeconds":20,"healthChecks":[{"protocol":"TCP"}]}"""));
        h.Offer();
        var task = Assert.Single(h.LiveTasks("/sick"));
        h.Report(task, TaskState.Running, healthy: false);
        Assert.Contains(task, h.LiveTasks("/sick"));
        h.Report(task, TaskState.Killed);

        Assert.Equal(1, h.Core.Read(v => v.Apps["/sick"].Failures));
        h.Offer();
        Assert.Empty(h.LiveTasks("/sick"));
        h.Master.Time.Advance(TimeSpan.FromSeconds(20));
        h.Offer();
        Assert.NotEqual(task, Assert.Single(h.LiveTasks("/sick")));
        Assert.True(h.LaunchOf(task).HealthCheck!.KillOnUnhealthy);
    }

    /// <summary>App <c>/u</c> with one task RUNNING on the first agent; a second agent registered after it.</summary>
    private static (SchedulerHarness H, string FirstAgent, string SecondAgent, string Task) RunningOnFirstOfTwoAgents()
    {
        var h = new SchedulerHarness();
        var a1 = h.Master.RegisterAgent("10.0.0.11");
        h.Subscribe();
        h.Core.CreateApp(SchedulerHarness.App("""{"id":"/u","cmd":"sleep 9","cpus":0.1,"mem":32}"""));
        h.Offer();
        var first = Assert.Single(h.LiveTasks("/u"));
        h.Report(first, TaskState.Running);
        var a2 = h.Master.RegisterAgent("10.0.0.12");
        return (h, a1, a2, first);
    }
}
