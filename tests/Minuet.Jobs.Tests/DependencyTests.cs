using Minuet.Platform.Jobs.Engine;
using Minuet.Platform.Jobs.Storage;

namespace Minuet.Jobs.Tests;

public sealed class DependencyTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ManualTime _time = new(DateTimeOffset.Parse("2026-06-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose() => _dir.Dispose();

    private Disposer Open()
    {
        var store = SqliteJobStore.Open(_dir.Path);
        return new Disposer(new JobsCore(store, time: _time), store);
    }

    private static void Diamond(JobsCore core)
    {
        Assert.Equal(201, core.Put(Jobs.Plain("a"), create: true).Status);
        Assert.Equal(201, core.Put(Jobs.Plain("b", "a"), create: true).Status);
        Assert.Equal(201, core.Put(Jobs.Plain("c", "a"), create: true).Status);
        Assert.Equal(201, core.Put(Jobs.Plain("d", "b", "c"), create: true).Status);
    }

    private static string Job(string taskId) => taskId[..taskId.IndexOf('_', StringComparison.Ordinal)];

    [Fact]
    public void Diamond_EachRunOfA_RunsDOnceAfterBothBAndC()
    {
        using var c = Open();
        var master = new FakeMaster();
        master.Subscribe(c.Core);
        Diamond(c.Core);

        for (int round = 1; round <= 3; round++)
        {
            c.Core.StartRun("a");
            Assert.Equal(["a"], master.RunAll(c.Core).Select(Job));
            var middle = master.Offer(c.Core);
            Assert.Equal(["b", "c"], middle.Select(Job).Order());

            // D waits for both parents: after B alone nothing starts.
            master.Report(c.Core, middle.First(t => Job(t) == "b"), "TASK_FINISHED");
            Assert.Empty(master.Offer(c.Core));
            master.Report(c.Core, middle.First(t => Job(t) == "c"), "TASK_FINISHED");
            Assert.Equal(["d"], master.RunAll(c.Core).Select(Job));
        }

        Assert.Equal(3, c.Core.Read(jobs => jobs["d"].Status.SuccessCount));
        Assert.Equal(12, master.Launched.Count);
    }

    [Fact]
    public void Diamond_FailedParent_ChildDoesNotRun()
    {
        using var c = Open();
        var master = new FakeMaster();
        master.Subscribe(c.Core);
        Diamond(c.Core);
        c.Core.StartRun("a");
        master.RunAll(c.Core);
        var middle = master.Offer(c.Core);
        master.Report(c.Core, middle.First(t => Job(t) == "b"), "TASK_FINISHED");
        master.Report(c.Core, middle.First(t => Job(t) == "c"), "TASK_FAILED");

        Assert.Empty(master.Offer(c.Core));
        Assert.Equal(1, c.Core.Read(jobs => jobs["d"].Status.Edges["b"]));
    }

    [Fact]
    public void Diamond_RestartMidGraph_EdgeStateKeptAndNothingRunsTwice()
    {
        var master = new FakeMaster();
        string cTask;
        using (var c = Open())
        {
            master.Subscribe(c.Core);
            Diamond(c.Core);
            c.Core.StartRun("a");
            master.RunAll(c.Core);
            var middle = master.Offer(c.Core);
            master.Report(c.Core, middle.First(t => Job(t) == "b"), "TASK_FINISHED");
            cTask = middle.First(t => Job(t) == "c");
            master.Report(c.Core, cTask, "TASK_RUNNING");
        }

        // The service stops with B's success counted on D's edge and C running; a new instance takes over.
        using var after = Open();
        Assert.False(after.Core.Reconciled);
        master.Subscribe(after.Core);
        Assert.Equal(cTask, Assert.Single(Assert.Single(master.Reconciles).Tasks).TaskId);

        // Nothing launches before the master has answered for C's task.
        Assert.Empty(master.Offer(after.Core));
        master.Report(after.Core, cTask, "TASK_RUNNING", uuid: null);
        Assert.True(after.Core.Reconciled);
        Assert.Empty(master.Offer(after.Core));

        master.Report(after.Core, cTask, "TASK_FINISHED");
        Assert.Equal(["d"], master.RunAll(after.Core).Select(Job));
        Assert.Equal(["a", "b", "c", "d"], master.Launched.Select(Job).Order());
        Assert.Equal(1, after.Core.Read(jobs => jobs["d"].Status.SuccessCount));
    }

    [Fact]
    public void Put_CycleUnknownParentOrSelf_RefusedWith422AndNothingStored()
    {
        using (var c = Open())
        {
            Diamond(c.Core);
            var cycle = c.Core.Put(Jobs.Plain("a", "d"), create: false);
            Assert.Equal(422, cycle.Status);
            Assert.Contains(cycle.Errors!, e => e.Path == "/dependencies" && e.Message.Contains("a -> d", StringComparison.Ordinal));

            var unknown = c.Core.Put(Jobs.Plain("e", "nope"), create: true);
            Assert.Equal(422, unknown.Status);
            Assert.Contains(unknown.Errors!, e => e.Path == "/dependencies/0" && e.Message.Contains("'nope' is not a job", StringComparison.Ordinal));

            Assert.Equal(409, c.Core.Remove("a").Status);
        }

        using var reopened = Open();
        Assert.Equal(["a", "b", "c", "d"], reopened.Core.Read(jobs => jobs.Keys.Order().ToList()));
        Assert.Empty(reopened.Core.Read(jobs => jobs["a"].Spec.Dependencies));
    }
}
