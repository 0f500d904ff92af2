using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Scheduler.MasterLink;

namespace Minuet.ControlPlane.Tests.Scheduler;

/// <summary>One app the master refuses never stops another app's launches (issue: a too-long task id stopped all).</summary>
public class LaunchIsolationTests
{
    [Fact]
    public void Accept_OneTaskRefusedByTheMaster_TheOtherAppInTheSameOfferLaunches()
    {
        var h = new SchedulerHarness();
        h.Master.RegisterAgent();
        h.Subscribe();

        // Stored before ids were checked against the task id limit: its task ids pass the master's 200 characters.
        var bad = SchedulerHarness.App("""{"id":"/x","cmd":"sleep 100","cpus":0.1,"mem":16}""") with { Id = "/" + new string('a', 171) };
        Assert.True(h.Core.CreateApp(bad).IsSuccess);
        Assert.True(h.Core.CreateApp(SchedulerHarness.App("""{"id":"/good","cmd":"sleep 100","cpus":0.1,"mem":16}""")).IsSuccess);
        h.Offer();

        // The master saw both in one accept: the bad task fails alone (TASK_ERROR naming task_id), the good one launches.
        h.Pump();
        var good = Assert.Single(h.LiveTasks("/good"));
        Assert.Contains(h.Master.Dispatcher.Launches, l => l.Launch.TaskId == good);
        h.Report(good, TaskState.Running);

        var failed = h.Core.Read(v => v.Apps[bad.Id]);
        Assert.Empty(h.LiveTasks(bad.Id));
        Assert.True(failed.Failures >= 1);
        Assert.Contains("task_id", failed.LastFailureMessage, StringComparison.Ordinal);
        var good2 = h.Core.Read(v => v.Apps["/good"]);
        Assert.Equal(0, good2.Failures);

        // Later apps keep launching while the bad one keeps failing in its own backoff.
        Assert.True(h.Core.CreateApp(SchedulerHarness.App("""{"id":"/later","cmd":"sleep 100","cpus":0.1,"mem":16}""")).IsSuccess);
        for (int i = 0; i < 3; i++)
        {
            h.Offer();
        }

        Assert.Single(h.LiveTasks("/later"));
        Assert.Contains(h.Master.Dispatcher.Launches, l => l.Launch.TaskId == h.LiveTasks("/later")[0]);
        Assert.Empty(h.LiveTasks(bad.Id));
    }

    [Fact]
    public void Accept_MasterUnavailable_IsNoAppFailureAndTheTaskIsReconciledThenReplaced()
    {
        var h = new SchedulerHarness();
        h.Master.RegisterAgent();
        h.Subscribe();
        Assert.True(h.Core.CreateApp(SchedulerHarness.App("""{"id":"/web","cmd":"sleep 100","cpus":0.1,"mem":16}""")).IsSuccess);

        // Take the accept the scheduler decided on and answer it as a master whose store failed would (503).
        h.Master.Time.Advance(TimeSpan.FromSeconds(6));
        h.Master.Core.Tick(h.Master.Time.Now);
        var offers = new List<OfferInfo>();
        h.PumpEventsOnly(offers);
        h.Core.HandleOffers(offers);
        var accept = Assert.IsType<AcceptCommand>(h.TakeCommand(c => c is AcceptCommand));
        var taskId = accept.Request.Tasks![0].TaskId!;
        h.Core.OnAcceptFailed(accept.Request, new MasterError(503, "store_failed", "the master's store refused the write (disk full)"));

        var app = h.Core.Read(v => v.Apps["/web"]);
        Assert.Equal(0, app.Failures);
        Assert.Null(app.LastFailureMessage);

        // The reconcile the scheduler sent finds no such task on the master: it is replaced and launches.
        h.Pump();
        Assert.DoesNotContain(taskId, h.LiveTasks("/web"));
        h.Offer();
        var replacement = Assert.Single(h.LiveTasks("/web"));
        Assert.Contains(h.Master.Dispatcher.Launches, l => l.Launch.TaskId == replacement);
    }
}
