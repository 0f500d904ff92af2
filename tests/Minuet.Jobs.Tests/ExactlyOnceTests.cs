using Minuet.Platform.Jobs.Engine;
using Minuet.Platform.Jobs.Model;
using Minuet.Platform.Jobs.Storage;

namespace Minuet.Jobs.Tests;

public sealed class ExactlyOnceTests : IDisposable
{
    private readonly TempDir _dir = new();
    private readonly ManualTime _time = new(DateTimeOffset.Parse("2026-06-01T10:00:00Z", System.Globalization.CultureInfo.InvariantCulture));

    public void Dispose() => _dir.Dispose();

    private Disposer Open()
    {
        var store = SqliteJobStore.Open(_dir.Path);
        return new Disposer(new JobsCore(store, time: _time), store);
    }

    [Fact]
    public void Restart_RunningTask_AdoptedNotRelaunched()
    {
        var master = new FakeMaster();
        string task;
        using (var c = Open())
        {
            master.Subscribe(c.Core);
            c.Core.Put(Jobs.Plain("x"), create: true);
            c.Core.StartRun("x");
            task = Assert.Single(master.Offer(c.Core));
            master.Report(c.Core, task, "TASK_RUNNING");
        }

        using var after = Open();
        master.Subscribe(after.Core);
        master.Report(after.Core, task, "TASK_RUNNING", uuid: null);
        Assert.Empty(master.Offer(after.Core));
        master.Report(after.Core, task, "TASK_FINISHED");

        Assert.Equal([task], master.Launched);
        Assert.Equal(1, after.Core.Read(jobs => jobs["x"].Status.SuccessCount));
    }

    [Fact]
    public void Restart_LaunchStoredButNeverSent_MasterSaysUnknown_LaunchedOnce()
    {
        var master = new FakeMaster();
        using (var c = Open())
        {
            master.Subscribe(c.Core);
            c.Core.Put(Jobs.Plain("x"), create: true);
            c.Core.StartRun("x");

            // The accept is stored as launched, then the process dies before the call leaves: it never reaches the master.
            c.Core.HandleOffers([new Minuet.ControlPlane.Master.OfferInfo
            {
                Id = "o", FrameworkId = "fw-1", AgentId = "agent-1", Hostname = "h", Address = "127.0.0.1", Role = "*",
                Resources = new Minuet.ControlPlane.Protocol.ResourceSet { Cpus = 1, Mem = 1024, Disk = 0 },
            }]);
        }

        using var after = Open();
        master.Subscribe(after.Core);
        var asked = Assert.Single(Assert.Single(master.Reconciles).Tasks).TaskId;
        Assert.Empty(master.Offer(after.Core));
        master.Report(after.Core, asked, "TASK_UNKNOWN", uuid: null);

        var launched = Assert.Single(master.Offer(after.Core));
        Assert.NotEqual(asked, launched);
        Assert.Empty(master.Offer(after.Core));
        Assert.Equal(RunStatus.Starting, after.Core.Read(jobs => jobs["x"].Active.Single().Status));
    }

    [Fact]
    public void OnFailure_FailedTask_RetriedUntilMaxRetriesThenRunFails()
    {
        using var c = Open();
        var master = new FakeMaster();
        master.Subscribe(c.Core);
        c.Core.Put(Jobs.WithRestart("flaky", """{"policy":"ON_FAILURE","activeDeadlineSeconds":600,"maxRetries":2}"""), create: true);
        c.Core.StartRun("flaky");

        for (int attempt = 1; attempt <= 3; attempt++)
        {
            master.RunAll(c.Core, "TASK_FAILED");
        }

        Assert.Empty(master.Offer(c.Core));
        Assert.Equal(3, master.Launched.Count);
        var status = c.Core.Read(jobs => jobs["flaky"].Status);
        Assert.Equal(1, status.FailureCount);
        Assert.Contains("TASK_FAILED", status.Failed[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Never_FailedTask_RunFailsWithoutRetry()
    {
        using var c = Open();
        var master = new FakeMaster();
        master.Subscribe(c.Core);
        c.Core.Put(Jobs.WithRestart("once", """{"policy":"NEVER"}"""), create: true);
        c.Core.StartRun("once");
        master.RunAll(c.Core, "TASK_FAILED");

        Assert.Empty(master.Offer(c.Core));
        Assert.Equal(1, c.Core.Read(jobs => jobs["once"].Status.FailureCount));
    }

    [Fact]
    public void ActiveDeadline_RunTooLong_KilledAndFailed()
    {
        using var c = Open();
        var master = new FakeMaster();
        master.Subscribe(c.Core);
        c.Core.Put(Jobs.WithRestart("slow", """{"policy":"ON_FAILURE","activeDeadlineSeconds":60}"""), create: true);
        c.Core.StartRun("slow");
        var task = Assert.Single(master.Offer(c.Core));
        master.Report(c.Core, task, "TASK_RUNNING");

        _time.Advance(TimeSpan.FromSeconds(61));
        c.Core.Tick();
        master.Drain(c.Core);
        Assert.Equal([task], master.Killed);
        master.Report(c.Core, task, "TASK_KILLED");

        Assert.Empty(master.Offer(c.Core));
        var status = c.Core.Read(jobs => jobs["slow"].Status);
        Assert.Contains("activeDeadlineSeconds", status.Failed[0].Reason, StringComparison.Ordinal);
    }
}
