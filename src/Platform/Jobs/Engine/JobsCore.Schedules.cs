using Minuet.Platform.Jobs.Model;
using Minuet.Platform.Jobs.Validation;

namespace Minuet.Platform.Jobs.Engine;

/// <summary>
/// Schedules: every tick turns the occurrences now due into runs or recorded skips. Of several occurrences due at
/// once only the latest can run (missed runs never pile up); the others are skipped with their reason. Occurrences
/// that fell due before this instance started were missed while the service was down: the schedule's missed-run
/// policy says whether the latest runs late (RUN_ONCE, within startingDeadlineSeconds) or is skipped too (SKIP).
/// </summary>
internal sealed partial class JobsCore
{
    /// <summary>Most occurrences looked at per schedule per tick (a every-minute job down for two months).</summary>
    private const int MaxOccurrencesPerTick = 100_000;

    /// <summary>Evaluates schedules and deadlines as of now.</summary>
    public void Tick()
    {
        lock (_gate)
        {
            var now = Now;
            foreach (var entry in _jobs.Values)
            {
                foreach (var schedule in entry.Spec.Schedules)
                {
                    EvaluateSchedule(entry, schedule, now);
                }
            }

            EnforceDeadlines(now);
            if (_subscribed && _reconciling.Count > 0 && now - _reconcileSentAt >= Options.ReconcileRetry)
            {
                SendReconcile(now);
            }

            Flush();
        }
    }

    private void EvaluateSchedule(JobEntry entry, ScheduleSpec schedule, DateTimeOffset now)
    {
        if (!entry.Status.NextDue.TryGetValue(schedule.Id, out var due) || due > now || entry.Times.GetValueOrDefault(schedule.Id) is not { } times)
        {
            return;
        }

        var occurrences = new List<DateTimeOffset>();
        DateTimeOffset? next = due;
        while (next is { } at && at <= now && occurrences.Count < MaxOccurrencesPerTick)
        {
            occurrences.Add(at);
            next = times.NextAfter(at);
        }

        // Past the cap the rest is passed over without a record each (years of an every-minute schedule).
        if (next is { } later && later <= now)
        {
            next = times.NextAfter(now);
        }

        if (next is { } following)
        {
            entry.Status.NextDue[schedule.Id] = following;
        }
        else
        {
            entry.Status.NextDue.Remove(schedule.Id);
        }

        _dirtyStatus.Add(entry.Spec.Id);
        var latest = occurrences[^1];
        bool latestMissed = latest < StartedAt;
        for (int i = 0; i < occurrences.Count - 1; i++)
        {
            var at = occurrences[i];
            Skip(entry, schedule, at, now, at < StartedAt
                ? $"missed while the jobs service was down; missed runs collapse into at most one late run (missedRuns {ScheduleParser.Name(schedule.MissedRuns)})"
                : "superseded by a later occurrence due at the same evaluation");
        }

        if (!schedule.Enabled)
        {
            Skip(entry, schedule, latest, now, "the schedule is disabled");
            return;
        }

        if (latestMissed && schedule.MissedRuns == MissedRunPolicy.Skip)
        {
            Skip(entry, schedule, latest, now, "missed while the jobs service was down (missedRuns SKIP)");
            return;
        }

        if ((now - latest).TotalSeconds > schedule.StartingDeadlineSeconds)
        {
            Skip(entry, schedule, latest, now, $"{(latestMissed ? "missed while the jobs service was down; " : string.Empty)}{(now - latest).TotalSeconds:0} s late, past startingDeadlineSeconds ({schedule.StartingDeadlineSeconds} s)");
            return;
        }

        if (entry.Active.Count > 0)
        {
            switch (schedule.ConcurrencyPolicy)
            {
                case ConcurrencyPolicy.Forbid:
                    Skip(entry, schedule, latest, now, $"run {entry.Active[0].Id} is still active (concurrencyPolicy FORBID)");
                    return;
                case ConcurrencyPolicy.Replace:
                    foreach (var active in entry.Active.ToList())
                    {
                        Stop(entry, active, "replaced by a newer scheduled run (concurrencyPolicy REPLACE)", now);
                    }

                    break;
            }
        }

        CreateRun(entry, "schedule:" + schedule.Id, latest, schedule.StartingDeadlineSeconds, now);
    }

    private void Skip(JobEntry entry, ScheduleSpec schedule, DateTimeOffset scheduledAt, DateTimeOffset now, string reason)
    {
        var status = entry.Status;
        status.SkippedCount++;
        status.LastSkippedAt = now;
        JobStatus.Keep(status.Skipped, new SkipEntry(schedule.Id, scheduledAt, now, reason));
        _dirtyStatus.Add(entry.Spec.Id);
        Log.Skipped(_log, entry.Spec.Id, scheduledAt, reason);
    }
}
