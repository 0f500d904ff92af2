using Minuet.Platform.Jobs.Engine;
using Minuet.Platform.Jobs.Model;
using Minuet.Platform.Jobs.Storage;

namespace Minuet.Jobs.Tests;

public sealed class SchedulingTests : IDisposable
{
    private readonly TempDir _dir = new();

    public void Dispose() => _dir.Dispose();

    private JobsCore Open(ManualTime time, out SqliteJobStore store)
    {
        store = SqliteJobStore.Open(_dir.Path);
        return new JobsCore(store, time: time);
    }

    /// <summary>Ticks once a minute from now to <paramref name="until"/>, running every launched task to the end; returns each launch time.</summary>
    private static List<DateTimeOffset> TickMinutes(JobsCore core, FakeMaster master, ManualTime time, DateTimeOffset until)
    {
        var launches = new List<DateTimeOffset>();
        while (time.Now < until)
        {
            time.Advance(TimeSpan.FromMinutes(1));
            core.Tick();
            master.Drain(core);
            foreach (var _ in master.RunAll(core))
            {
                launches.Add(time.Now);
            }
        }

        return launches;
    }

    [Theory]
    [InlineData("America/New_York", "30 2 * * *", "2026-03-08")] // spring forward: 02:00 -> 03:00, 02:30 does not exist
    [InlineData("Europe/Berlin", "30 2 * * *", "2026-03-29")]
    [InlineData("America/New_York", "30 1 * * *", "2026-11-01")] // fall back: 01:30 happens twice
    [InlineData("Europe/Berlin", "30 2 * * *", "2026-10-25")]
    public void Cron_OnDstTransitionDay_RunsExactlyOnce(string zoneId, string cron, string day)
    {
        var zone = TimeZoneInfo.FindSystemTimeZoneById(zoneId);
        var date = DateOnly.Parse(day, System.Globalization.CultureInfo.InvariantCulture);
        var startLocal = date.AddDays(-1).ToDateTime(new TimeOnly(12, 0));
        var time = new ManualTime(new DateTimeOffset(startLocal, zone.GetUtcOffset(startLocal)));
        using var core = new Disposer(Open(time, out var store), store);
        var master = new FakeMaster();
        master.Subscribe(core.Core);
        Assert.Equal(201, core.Core.Put(Jobs.Cron("dst", cron, zoneId), create: true).Status);

        var launches = TickMinutes(core.Core, master, time, time.Now.AddHours(48));

        var days = launches.Select(l => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(l, zone).DateTime)).ToList();
        Assert.Equal(1, days.Count(d => d == date));
        Assert.Equal(1, days.Count(d => d == date.AddDays(1)));
        Assert.Equal(2, launches.Count);
    }

    [Fact]
    public void MissedRuns_RunOnceAfterThreeHourOutage_OneLateRunAndEachOtherOccurrenceSkippedWithReason()
    {
        var (runs, status) = Outage(missed: "RUN_ONCE", restartAt: "13:05");
        var run = Assert.Single(runs);
        Assert.Equal(DateTimeOffset.Parse("2026-06-01T13:00:00Z", System.Globalization.CultureInfo.InvariantCulture), run.DueAt);
        Assert.Equal(2, status.SkippedCount);
        Assert.All(status.Skipped, s => Assert.Contains("missed while the jobs service was down", s.Reason, StringComparison.Ordinal));
        Assert.Equal(["2026-06-01T12:00:00Z", "2026-06-01T11:00:00Z"], status.Skipped.Select(s => s.ScheduledAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void MissedRuns_SkipAfterThreeHourOutage_NoRunAndAllThreeSkipped()
    {
        var (runs, status) = Outage(missed: "SKIP", restartAt: "13:05");
        Assert.Empty(runs);
        Assert.Equal(3, status.SkippedCount);
        Assert.Contains("missedRuns SKIP", status.Skipped[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void MissedRuns_RunOncePastStartingDeadline_NoRunAndSkipNamesTheDeadline()
    {
        var (runs, status) = Outage(missed: "RUN_ONCE", restartAt: "13:20");
        Assert.Empty(runs);
        Assert.Equal(3, status.SkippedCount);
        Assert.Contains("startingDeadlineSeconds (900 s)", status.Skipped[0].Reason, StringComparison.Ordinal);
    }

    private (List<JobRun> Runs, JobStatus Status) Outage(string missed, string restartAt)
    {
        var time = new ManualTime(DateTimeOffset.Parse("2026-06-01T10:00:30Z", System.Globalization.CultureInfo.InvariantCulture));
        using (var first = new Disposer(Open(time, out var store1), store1))
        {
            first.Core.Put(Jobs.Cron("hourly", "0 * * * *", "UTC", $",\"missedRuns\":\"{missed}\",\"startingDeadlineSeconds\":900"), create: true);
            time.Advance(TimeSpan.FromMinutes(29));
            first.Core.Tick();
        }

        // Down from 10:29:30 until the restart: 11:00, 12:00 and 13:00 fall due while nothing runs.
        time.Now = DateTimeOffset.Parse("2026-06-01T" + restartAt + ":00Z", System.Globalization.CultureInfo.InvariantCulture);
        using var second = new Disposer(Open(time, out var store2), store2);
        second.Core.Tick();
        return second.Core.Read(jobs => (jobs["hourly"].Active.ToList(), jobs["hourly"].Status));
    }

    [Fact]
    public void Forbid_OccurrenceWhileRunActive_SkippedAndRecorded()
    {
        var time = new ManualTime(DateTimeOffset.Parse("2026-06-01T10:00:30Z", System.Globalization.CultureInfo.InvariantCulture));
        using var core = new Disposer(Open(time, out var store), store);
        var master = new FakeMaster();
        master.Subscribe(core.Core);
        core.Core.Put(Jobs.Cron("every", "* * * * *", "UTC", ",\"concurrencyPolicy\":\"FORBID\""), create: true);
        time.Advance(TimeSpan.FromMinutes(1));
        core.Core.Tick();
        var first = Assert.Single(master.Offer(core.Core));
        master.Report(core.Core, first, "TASK_RUNNING");

        time.Advance(TimeSpan.FromMinutes(1));
        core.Core.Tick();

        Assert.Empty(master.Offer(core.Core));
        var (active, status) = core.Core.Read(jobs => (jobs["every"].Active.Count, jobs["every"].Status));
        Assert.Equal(1, active);
        Assert.Equal(1, status.SkippedCount);
        Assert.Contains("concurrencyPolicy FORBID", status.Skipped[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Replace_OccurrenceWhileRunActive_KillsOldRunAndStartsNew()
    {
        var time = new ManualTime(DateTimeOffset.Parse("2026-06-01T10:00:30Z", System.Globalization.CultureInfo.InvariantCulture));
        using var core = new Disposer(Open(time, out var store), store);
        var master = new FakeMaster();
        master.Subscribe(core.Core);
        core.Core.Put(Jobs.Cron("every", "* * * * *", "UTC", ",\"concurrencyPolicy\":\"REPLACE\""), create: true);
        time.Advance(TimeSpan.FromMinutes(1));
        core.Core.Tick();
        var first = Assert.Single(master.Offer(core.Core));
        master.Report(core.Core, first, "TASK_RUNNING");

        time.Advance(TimeSpan.FromMinutes(1));
        core.Core.Tick();
        master.Drain(core.Core);
        Assert.Equal([first], master.Killed);
        var second = Assert.Single(master.Offer(core.Core));
        master.Report(core.Core, first, "TASK_KILLED");

        var (active, status) = core.Core.Read(jobs => (jobs["every"].Active.Select(r => r.Current!.Id).ToList(), jobs["every"].Status));
        Assert.Equal([second], active);
        Assert.Equal(1, status.FailureCount);
        Assert.Contains("concurrencyPolicy REPLACE", status.Failed[0].Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Allow_OccurrenceWhileRunActive_StartsASecondRun()
    {
        var time = new ManualTime(DateTimeOffset.Parse("2026-06-01T10:00:30Z", System.Globalization.CultureInfo.InvariantCulture));
        using var core = new Disposer(Open(time, out var store), store);
        var master = new FakeMaster();
        master.Subscribe(core.Core);
        core.Core.Put(Jobs.Cron("every", "* * * * *"), create: true);
        time.Advance(TimeSpan.FromMinutes(1));
        core.Core.Tick();
        master.Report(core.Core, Assert.Single(master.Offer(core.Core)), "TASK_RUNNING");
        time.Advance(TimeSpan.FromMinutes(1));
        core.Core.Tick();

        Assert.Single(master.Offer(core.Core));
        Assert.Equal(2, core.Core.Read(jobs => jobs["every"].Active.Count));
    }
}
