using Minuet.ControlPlane.Tests.Scheduler;

namespace Minuet.ControlPlane.Tests.Master;

/// <summary>
/// Issue: one app whose task ids passed the master's 200-character limit stopped every launch for good (the whole
/// accept was refused, the offer leaked, the app batched with it got TASK_ERROR). With the Marathon-style
/// scheduler driving this master, the bad app's task now fails alone and every other app keeps launching.
/// </summary>
public class AcceptWithSchedulerTests
{
    [Fact]
    public void Offers_OneAppsTaskIdsTooLongForTheMaster_OtherAppsLaunchNowAndLaterAndNoOfferLeaks()
    {
        var h = new SchedulerHarness();
        h.Master.RegisterAgent("10.0.1.1");
        h.Subscribe();
        // Built past any API validation on purpose: this is about what the master does with such a task.
        var tooLong = SchedulerHarness.App("""{"id":"/x","cmd":"sleep 9","instances":1,"cpus":0.1,"mem":16}""") with { Id = "/" + new string('a', 170) };
        h.Core.CreateApp(tooLong);
        h.Core.CreateApp(SchedulerHarness.App("""{"id":"/b","cmd":"sleep 9","instances":1,"cpus":0.1,"mem":16}"""));
        h.Offer();

        Assert.Single(h.LiveTasks("/b"));
        Assert.Empty(h.Refusals);

        h.Core.CreateApp(SchedulerHarness.App("""{"id":"/c","cmd":"sleep 9","instances":1,"cpus":0.1,"mem":16}"""));
        h.Offer();
        h.Offer();

        Assert.Single(h.LiveTasks("/c"));
        Assert.Equal(2, h.Master.Dispatcher.Launches.Count);
        Assert.All(h.Master.Dispatcher.Launches, l => Assert.True(l.Launch.TaskId.Length <= 200));
        Assert.True(h.Master.Core.Metrics.TasksInvalid.Value >= 1);
        Assert.Empty(h.Master.Core.Frameworks.Values.SelectMany(f => f.Offers.Values));
    }
}
