using System.Text.Json;
using Minuet.Platform.Jobs.Model;

namespace Minuet.Platform.Jobs.Storage;

/// <summary>
/// A store in memory (no <c>--state-dir</c>; the benchmark). Records are kept serialized, as SQLite keeps them, so
/// a core loaded from it shares no objects with the one that wrote it.
/// </summary>
internal sealed class InMemoryJobStore : IJobStore
{
    private readonly Dictionary<string, string> _meta = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _jobs = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _statuses = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _runs = new(StringComparer.Ordinal);

    public JobStoreSnapshot Load() => new(
        new Dictionary<string, string>(_meta, StringComparer.Ordinal),
        _jobs.Values.Select(j => JsonSerializer.Deserialize(j, JobStoreJsonContext.Default.JobSpec)!).ToList(),
        _statuses.ToDictionary(s => s.Key, s => JsonSerializer.Deserialize(s.Value, JobStoreJsonContext.Default.JobStatus)!, StringComparer.Ordinal),
        _runs.Values.Select(r => JsonSerializer.Deserialize(r, JobStoreJsonContext.Default.JobRun)!).ToList());

    public void Begin()
    {
    }

    public void Commit()
    {
    }

    public void Rollback()
    {
    }

    public void PutMeta(string key, string value) => _meta[key] = value;

    public void PutJob(JobSpec job) => _jobs[job.Id] = JsonSerializer.Serialize(job, JobStoreJsonContext.Default.JobSpec);

    public void RemoveJob(string id)
    {
        _jobs.Remove(id);
        _statuses.Remove(id);
    }

    public void PutStatus(string jobId, JobStatus status) => _statuses[jobId] = JsonSerializer.Serialize(status, JobStoreJsonContext.Default.JobStatus);

    public void PutRun(JobRun run) => _runs[run.Id] = JsonSerializer.Serialize(run, JobStoreJsonContext.Default.JobRun);

    public void RemoveRun(string id) => _runs.Remove(id);

    public void Dispose()
    {
    }
}
