using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Minuet.ControlPlane.Scheduler.MasterLink;
using Minuet.Platform.Jobs.Model;
using Minuet.Platform.Jobs.Storage;
using Minuet.Platform.Jobs.Validation;

namespace Minuet.Platform.Jobs.Engine;

/// <summary>
/// The jobs service's state behind one lock: jobs, schedules, runs, history and dependency edges. Every public
/// operation ends in <see cref="Flush"/>, which writes what changed in one transaction and only then releases the
/// master calls the operation decided on: so a run (with its task id) is durable before its task is launched, and a
/// parent's success, its children's edge counts and the runs they start are durable together.
/// </summary>
internal sealed partial class JobsCore : IFrameworkCore
{
    private const string MetaFrameworkId = "framework_id";

    private readonly Lock _gate = new();
    private readonly IJobStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly Dictionary<string, JobEntry> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JobRun> _runs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JobRun> _runsByTask = new(StringComparer.Ordinal);

    /// <summary>Runs whose current task is not yet handed to the master, oldest first.</summary>
    private readonly List<JobRun> _waiting = [];

    private readonly HashSet<string> _dirtyJobs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _removedJobs = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirtyStatus = new(StringComparer.Ordinal);
    private readonly HashSet<string> _dirtyRuns = new(StringComparer.Ordinal);
    private readonly HashSet<string> _removedRuns = new(StringComparer.Ordinal);
    private readonly List<MasterCommand> _held = [];
    private readonly Channel<MasterCommand> _outbox = Channel.CreateUnbounded<MasterCommand>(new UnboundedChannelOptions { SingleReader = true });

    /// <summary>Tasks the store says may run, not yet answered by the master's reconciliation.</summary>
    private readonly HashSet<string> _reconciling = new(StringComparer.Ordinal);
    private DateTimeOffset _reconcileSentAt;
    private bool _subscribed;
    private string? _frameworkIdMeta;
    private bool _reviveWanted;

    public JobsCore(IJobStore store, JobsOptions? options = null, TimeProvider? time = null, ILogger? log = null)
    {
        _store = store;
        Options = options ?? new JobsOptions();
        _time = time ?? TimeProvider.System;
        _log = log ?? Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;
        StartedAt = Now;
        Load();
    }

    public JobsOptions Options { get; }

    /// <summary>When this instance took over: occurrences due before it were missed while the service was down.</summary>
    public DateTimeOffset StartedAt { get; }

    public string? FrameworkId { get; private set; }

    /// <summary>False until every task the store says may run has been answered for by the master.</summary>
    public bool Reconciled
    {
        get
        {
            lock (_gate)
            {
                return _reconciling.Count == 0;
            }
        }
    }

    /// <summary>Master calls, in order, released only after the state they follow from is stored.</summary>
    public ChannelReader<MasterCommand> Outbox => _outbox.Reader;

    private DateTimeOffset Now => _time.GetUtcNow();

    /// <summary>Reads the jobs under the lock (the HTTP layer renders inside <paramref name="read"/>).</summary>
    public T Read<T>(Func<IReadOnlyDictionary<string, JobEntry>, T> read)
    {
        lock (_gate)
        {
            return read(_jobs);
        }
    }

    private void Load()
    {
        var snapshot = _store.Load();
        if (snapshot.Meta.TryGetValue(MetaFrameworkId, out var frameworkId))
        {
            FrameworkId = frameworkId;
            _frameworkIdMeta = frameworkId;
        }

        var now = Now;
        foreach (var spec in snapshot.Jobs)
        {
            var entry = new JobEntry(spec, snapshot.Statuses.GetValueOrDefault(spec.Id) ?? new JobStatus());
            _jobs[spec.Id] = entry;
            RefreshSchedules(entry, null, now);
        }

        foreach (var run in snapshot.Runs.OrderBy(r => r.CreatedAt))
        {
            if (!_jobs.TryGetValue(run.JobId, out var entry))
            {
                _removedRuns.Add(run.Id);
                continue;
            }

            entry.Active.Add(run);
            Index(run);
            if (run.Current is { Launched: false })
            {
                _waiting.Add(run);
            }
            else if (run.Current is { } task)
            {
                _reconciling.Add(task.Id);
            }
        }

        if (_reconciling.Count > 0)
        {
            Log.Reconciling(_log, _reconciling.Count);
        }

        Flush();
    }

    private void Index(JobRun run)
    {
        _runs[run.Id] = run;
        foreach (var task in run.Tasks)
        {
            _runsByTask[task.Id] = run;
        }
    }

    private void Send(MasterCommand command) => _held.Add(command);

    /// <summary>
    /// Writes every change of this operation in one transaction, then releases the held master calls. A failed write
    /// keeps both (the next operation or tick tries again), so no call goes out for state the store does not hold.
    /// </summary>
    private void Flush()
    {
        if (_reviveWanted)
        {
            _reviveWanted = false;
            Send(new ReviveCommand());
        }

        bool anything = _dirtyJobs.Count + _removedJobs.Count + _dirtyStatus.Count + _dirtyRuns.Count + _removedRuns.Count > 0 || FrameworkId != _frameworkIdMeta;
        if (anything)
        {
            try
            {
                _store.Begin();
                if (FrameworkId is { } fid && fid != _frameworkIdMeta)
                {
                    _store.PutMeta(MetaFrameworkId, fid);
                }

                foreach (var id in _removedJobs)
                {
                    _store.RemoveJob(id);
                }

                foreach (var id in _dirtyJobs)
                {
                    if (_jobs.TryGetValue(id, out var entry))
                    {
                        _store.PutJob(entry.Spec);
                    }
                }

                foreach (var id in _dirtyStatus)
                {
                    if (_jobs.TryGetValue(id, out var entry))
                    {
                        _store.PutStatus(id, entry.Status);
                    }
                }

                foreach (var id in _removedRuns)
                {
                    _store.RemoveRun(id);
                }

                foreach (var id in _dirtyRuns)
                {
                    if (_runs.TryGetValue(id, out var run))
                    {
                        _store.PutRun(run);
                    }
                }

                _store.Commit();
            }
            catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or IOException or InvalidOperationException)
            {
                _store.Rollback();
                Log.StoreFailed(_log, e.Message);
                return;
            }

            _frameworkIdMeta = FrameworkId;
            _dirtyJobs.Clear();
            _removedJobs.Clear();
            _dirtyStatus.Clear();
            _dirtyRuns.Clear();
            _removedRuns.Clear();
        }

        foreach (var command in _held)
        {
            _outbox.Writer.TryWrite(command);
        }

        _held.Clear();
    }

    private static FieldErrors Errors(string path, string message)
    {
        var errors = new FieldErrors();
        errors.Add(path, message);
        return errors;
    }
}
