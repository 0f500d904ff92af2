using Minuet.ControlPlane.Scheduler.MasterLink;
using Minuet.Platform.Jobs.Model;
using Minuet.Platform.Jobs.Validation;

namespace Minuet.Platform.Jobs.Engine;

/// <summary>Job definitions: create, replace, remove, with the checks that need every job (parents, cycles).</summary>
internal sealed partial class JobsCore
{
    /// <summary>
    /// Creates (<paramref name="create"/>: 409 if it exists) or replaces (404 if missing, unless <paramref name="upsert"/>)
    /// a job. Unknown parents and cycles are 422; nothing is stored then.
    /// </summary>
    public JobsResult<JobSpec> Put(JobSpec spec, bool create, bool upsert = false)
    {
        lock (_gate)
        {
            bool exists = _jobs.TryGetValue(spec.Id, out var existing);
            if (create && exists && !upsert)
            {
                return JobsResult<JobSpec>.Fail(409, $"Job with id '{spec.Id}' already exists");
            }

            if (!create && !exists && !upsert)
            {
                return JobsResult<JobSpec>.Fail(404, $"Job '{spec.Id}' does not exist");
            }

            var errors = new FieldErrors();
            if (spec.Schedules.Count > 0 && spec.Dependencies.Count > 0)
            {
                errors.Add("/dependencies", "a job runs either on schedules or after its dependencies, not both (as in Metronome and Chronos)");
                return JobsResult<JobSpec>.Fail(422, "Object is not valid", errors.List);
            }

            DependencyGraph.Check(spec.Id, spec.Dependencies, id => id == spec.Id ? spec.Dependencies : _jobs.TryGetValue(id, out var j) ? j.Spec.Dependencies : null, errors);
            if (errors.Any)
            {
                return JobsResult<JobSpec>.Fail(422, "Object is not valid", errors.List);
            }

            var now = Now;
            JobEntry entry;
            if (existing is null)
            {
                entry = new JobEntry(spec, new JobStatus());
                _jobs[spec.Id] = entry;
                _removedJobs.Remove(spec.Id);
                RefreshSchedules(entry, null, now);
            }
            else
            {
                entry = existing;
                var old = entry.Spec;
                entry.Spec = spec;
                RefreshSchedules(entry, old, now);
            }

            // Edges of parents no longer listed mean nothing; new parents start at zero successes.
            foreach (var parent in entry.Status.Edges.Keys.Where(p => !spec.Dependencies.Contains(p, StringComparer.Ordinal)).ToList())
            {
                entry.Status.Edges.Remove(parent);
            }

            foreach (var parent in spec.Dependencies)
            {
                entry.Status.Edges.TryAdd(parent, 0);
            }

            _dirtyJobs.Add(spec.Id);
            _dirtyStatus.Add(spec.Id);
            Flush();
            return JobsResult<JobSpec>.Success(spec, existing is null ? 201 : 200);
        }
    }

    /// <summary>Removes a job (its active runs are stopped first); 409 while other jobs depend on it.</summary>
    public JobsResult<JobSpec> Remove(string id, bool stopCurrentRuns = true)
    {
        lock (_gate)
        {
            if (!_jobs.TryGetValue(id, out var entry))
            {
                return JobsResult<JobSpec>.Fail(404, $"Job '{id}' does not exist");
            }

            var children = _jobs.Values.Where(j => j.Spec.Dependencies.Contains(id, StringComparer.Ordinal)).Select(j => j.Spec.Id).ToList();
            if (children.Count > 0)
            {
                return JobsResult<JobSpec>.Fail(409, $"Job '{id}' is a dependency of {string.Join(", ", children.Select(c => $"'{c}'"))}; remove or change those first");
            }

            if (entry.Active.Count > 0 && !stopCurrentRuns)
            {
                return JobsResult<JobSpec>.Fail(409, $"Job '{id}' has active runs; stop them first or pass stopCurrentJobRuns=true");
            }

            foreach (var run in entry.Active.ToList())
            {
                foreach (var task in run.Tasks.Where(t => t.Launched && !IsTerminal(t.Status)))
                {
                    Send(new KillCommand(new ControlPlane.Master.KillRequest { TaskId = task.Id }));
                    _runsByTask.Remove(task.Id);
                }

                _waiting.Remove(run);
                _runs.Remove(run.Id);
                _removedRuns.Add(run.Id);
                _dirtyRuns.Remove(run.Id);
            }

            _jobs.Remove(id);
            _removedJobs.Add(id);
            _dirtyJobs.Remove(id);
            _dirtyStatus.Remove(id);
            Flush();
            return JobsResult<JobSpec>.Success(entry.Spec);
        }
    }

    /// <summary>
    /// Keeps each schedule's next due time: a new schedule (or one whose times changed) starts from now; an unchanged
    /// one keeps its stored next time, so occurrences missed while down are still seen as missed.
    /// </summary>
    private void RefreshSchedules(JobEntry entry, JobSpec? old, DateTimeOffset now)
    {
        entry.Times.Clear();
        foreach (var schedule in entry.Spec.Schedules)
        {
            var times = ScheduleParser.Times(schedule, now);
            entry.Times[schedule.Id] = times;
            var before = old?.Schedules.FirstOrDefault(s => s.Id == schedule.Id);
            bool same = before is not null && before.Cron == schedule.Cron && before.Iso8601 == schedule.Iso8601 && before.TimeZone == schedule.TimeZone;
            if ((!same && old is not null) || !entry.Status.NextDue.ContainsKey(schedule.Id))
            {
                if (times?.NextAfter(schedule.Iso8601 is null ? now : now.AddTicks(-1)) is { } next)
                {
                    entry.Status.NextDue[schedule.Id] = next;
                }
                else
                {
                    entry.Status.NextDue.Remove(schedule.Id);
                }

                _dirtyStatus.Add(entry.Spec.Id);
            }
        }

        foreach (var gone in entry.Status.NextDue.Keys.Where(k => !entry.Times.ContainsKey(k)).ToList())
        {
            entry.Status.NextDue.Remove(gone);
            _dirtyStatus.Add(entry.Spec.Id);
        }
    }

    private static bool IsTerminal(string state) =>
        ControlPlane.Master.TaskStates.TryParseMesosName(state, out var s) && ControlPlane.Master.TaskStates.IsTerminal(s);
}
