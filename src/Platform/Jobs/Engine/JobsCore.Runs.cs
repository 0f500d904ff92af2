using System.Security.Cryptography;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler.MasterLink;
using Minuet.Platform.Jobs.Model;

namespace Minuet.Platform.Jobs.Engine;

/// <summary>Runs: start (manual, scheduled, by dependency), stop, end with history, and the children an end starts.</summary>
internal sealed partial class JobsCore
{
    private const string RunIdAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    /// <summary>POST /v1/jobs/{id}/runs: a run now, whatever the schedules say.</summary>
    public JobsResult<JobRun> StartRun(string jobId, string trigger = "manual")
    {
        lock (_gate)
        {
            if (!_jobs.TryGetValue(jobId, out var entry))
            {
                return JobsResult<JobRun>.Fail(404, $"Job '{jobId}' does not exist");
            }

            var now = Now;
            var run = CreateRun(entry, trigger, now, entry.Spec.Run.MaxLaunchDelay, now);
            Flush();
            return JobsResult<JobRun>.Success(run, 201);
        }
    }

    /// <summary>POST .../runs/{rid}/actions/stop.</summary>
    public JobsResult<JobRun> StopRun(string jobId, string runId)
    {
        lock (_gate)
        {
            if (!_jobs.TryGetValue(jobId, out var entry))
            {
                return JobsResult<JobRun>.Fail(404, $"Job '{jobId}' does not exist");
            }

            var run = entry.Active.FirstOrDefault(r => r.Id == runId);
            if (run is null)
            {
                return JobsResult<JobRun>.Fail(404, $"Run '{runId}' of job '{jobId}' is not active");
            }

            Stop(entry, run, "stopped on request", Now);
            Flush();
            return JobsResult<JobRun>.Success(run);
        }
    }

    /// <summary>Chronos's DELETE /task/kill/{name}: stops every active run.</summary>
    public JobsResult<int> StopAll(string jobId)
    {
        lock (_gate)
        {
            if (!_jobs.TryGetValue(jobId, out var entry))
            {
                return JobsResult<int>.Fail(404, $"Job '{jobId}' does not exist");
            }

            var now = Now;
            int count = entry.Active.Count;
            foreach (var run in entry.Active.ToList())
            {
                Stop(entry, run, "killed on request", now);
            }

            Flush();
            return JobsResult<int>.Success(count);
        }
    }

    /// <summary>Chronos's PUT /job/success/{name}: counts a success without running and lets the children go.</summary>
    public JobsResult<JobSpec> MarkSuccess(string jobId)
    {
        lock (_gate)
        {
            if (!_jobs.TryGetValue(jobId, out var entry))
            {
                return JobsResult<JobSpec>.Fail(404, $"Job '{jobId}' does not exist");
            }

            var now = Now;
            var status = entry.Status;
            status.SuccessCount++;
            status.LastSuccessAt = now;
            JobStatus.Keep(status.Successful, new HistoryEntry("marked-" + NewRunId(now), now, now, "marked successful", "marked successful by request"));
            _dirtyStatus.Add(jobId);
            FireChildren(jobId, now);
            Flush();
            return JobsResult<JobSpec>.Success(entry.Spec);
        }
    }

    private JobRun CreateRun(JobEntry entry, string trigger, DateTimeOffset due, int startingDeadlineSeconds, DateTimeOffset now)
    {
        var id = NewRunId(now);
        var run = new JobRun
        {
            Id = id,
            JobId = entry.Spec.Id,
            CreatedAt = now,
            DueAt = due,
            StartingDeadlineSeconds = startingDeadlineSeconds,
            Trigger = trigger,
        };
        run.Tasks.Add(new RunTask { Id = TaskId(run, 1) });
        entry.Active.Add(run);
        Index(run);
        _waiting.Add(run);
        _dirtyRuns.Add(id);
        _reviveWanted = true;
        Log.RunCreated(_log, id, entry.Spec.Id, trigger, due);
        return run;
    }

    private static string TaskId(JobRun run, int attempt) => $"{run.JobId}_{run.Id}.{attempt}";

    /// <summary>Metronome's run id: the creation time to the second and five random characters.</summary>
    private string NewRunId(DateTimeOffset now)
    {
        Span<char> suffix = stackalloc char[5];
        while (true)
        {
            for (int i = 0; i < suffix.Length; i++)
            {
                suffix[i] = RunIdAlphabet[RandomNumberGenerator.GetInt32(RunIdAlphabet.Length)];
            }

            var id = now.UtcDateTime.ToString("yyyyMMddHHmmss", System.Globalization.CultureInfo.InvariantCulture) + new string(suffix);
            if (!_runs.ContainsKey(id))
            {
                return id;
            }
        }
    }

    /// <summary>A stop ends an unlaunched run at once; a launched one when the master reports its task killed.</summary>
    private void Stop(JobEntry entry, JobRun run, string reason, DateTimeOffset now)
    {
        run.StopRequested = true;
        run.Reason = reason;
        _dirtyRuns.Add(run.Id);
        if (run.Current is { Launched: true } task && !IsTerminal(task.Status))
        {
            Send(new KillCommand(new KillRequest { TaskId = task.Id }));
            return;
        }

        Finish(entry, run, success: false, reason, now);
    }

    /// <summary>
    /// Ends a run: its record leaves the active table, history and counts change, and on success each child's edge
    /// from this job counts one more success; a child whose every edge has one runs (once per success of all its
    /// parents). All of it is written by the same flush.
    /// </summary>
    private void Finish(JobEntry entry, JobRun run, bool success, string? reason, DateTimeOffset now)
    {
        run.Status = success ? RunStatus.Success : RunStatus.Failed;
        run.CompletedAt = now;
        run.Reason ??= reason;
        entry.Active.Remove(run);
        _waiting.Remove(run);
        _runs.Remove(run.Id);
        foreach (var task in run.Tasks)
        {
            _runsByTask.Remove(task.Id);
        }

        _dirtyRuns.Remove(run.Id);
        _removedRuns.Add(run.Id);
        var status = entry.Status;
        var item = new HistoryEntry(run.Id, run.CreatedAt, now, run.Trigger, run.Reason);
        if (success)
        {
            status.SuccessCount++;
            status.LastSuccessAt = now;
            JobStatus.Keep(status.Successful, item);
        }
        else
        {
            status.FailureCount++;
            status.LastFailureAt = now;
            JobStatus.Keep(status.Failed, item);
        }

        _dirtyStatus.Add(entry.Spec.Id);
        Log.RunFinished(_log, run.Id, entry.Spec.Id, success ? "SUCCESS" : "FAILED", run.Reason is null ? string.Empty : ": " + run.Reason);
        if (success)
        {
            FireChildren(entry.Spec.Id, now);
        }
    }

    private void FireChildren(string parentId, DateTimeOffset now)
    {
        foreach (var child in _jobs.Values.Where(j => j.Spec.Dependencies.Contains(parentId, StringComparer.Ordinal)).ToList())
        {
            var edges = child.Status.Edges;
            edges[parentId] = edges.GetValueOrDefault(parentId) + 1;
            _dirtyStatus.Add(child.Spec.Id);
            if (child.Spec.Dependencies.All(p => edges.GetValueOrDefault(p) > 0))
            {
                foreach (var p in child.Spec.Dependencies)
                {
                    edges[p]--;
                }

                CreateRun(child, "dependency:" + string.Join('+', child.Spec.Dependencies), now, child.Spec.Run.MaxLaunchDelay, now);
            }
        }
    }

    /// <summary>
    /// A run not launched within its starting deadline fails (Metronome PR #164); a run past its restart
    /// <c>activeDeadlineSeconds</c> is stopped.
    /// </summary>
    private void EnforceDeadlines(DateTimeOffset now)
    {
        foreach (var run in _waiting.ToList())
        {
            if (run.StartedAt is null && !run.Tasks.Any(t => t.Launched) && (now - run.DueAt).TotalSeconds > run.StartingDeadlineSeconds
                && _jobs.TryGetValue(run.JobId, out var entry))
            {
                Finish(entry, run, success: false, $"not launched within its starting deadline ({run.StartingDeadlineSeconds} s): no offer had room for it", now);
            }
        }

        foreach (var entry in _jobs.Values)
        {
            if (entry.Spec.Run.Restart.ActiveDeadlineSeconds is not { } limit)
            {
                continue;
            }

            foreach (var run in entry.Active.ToList())
            {
                if (!run.StopRequested && (now - run.CreatedAt).TotalSeconds > limit)
                {
                    Stop(entry, run, $"activeDeadlineSeconds ({limit} s) passed", now);
                }
            }
        }
    }
}
