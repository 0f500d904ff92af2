using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Minuet.ControlPlane.Storage;
using Minuet.Platform.Jobs.Model;

namespace Minuet.Platform.Jobs.Storage;

/// <summary>
/// <c>jobs.db</c> in <c>--state-dir</c>: one JSON row per record in <see cref="SqliteJsonRows"/> (as the scheduler's
/// store), batches as transactions. <c>synchronous = NORMAL</c> as the master's and scheduler's stores: in WAL mode a commit survives a crash of the process (what exactly-once launching is about) without an
/// fsync per commit; FULL cost one fsync per status update, tens of seconds of lock hold for thousands of finishing runs.
/// </summary>
internal sealed class SqliteJobStore : IJobStore
{
    public const string FileName = "jobs.db";

    private readonly SqliteJsonRows _rows;

    private SqliteJobStore(SqliteJsonRows rows) => _rows = rows;

    public static SqliteJobStore Open(string stateDir) => new(SqliteJsonRows.Open(Path.Combine(stateDir, FileName), """
        CREATE TABLE IF NOT EXISTS meta (id TEXT PRIMARY KEY, json TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, json TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS job_status (id TEXT PRIMARY KEY, json TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS runs (id TEXT PRIMARY KEY, json TEXT NOT NULL);
        """));

    public JobStoreSnapshot Load() => _rows.Read(db => new JobStoreSnapshot(
        db.Rows("meta").ToDictionary(r => r.Id, r => r.Json, StringComparer.Ordinal),
        db.Rows("jobs").Select(r => Read(r.Json, JobStoreJsonContext.Default.JobSpec)).ToList(),
        db.Rows("job_status").ToDictionary(r => r.Id, r => Read(r.Json, JobStoreJsonContext.Default.JobStatus), StringComparer.Ordinal),
        db.Rows("runs").Select(r => Read(r.Json, JobStoreJsonContext.Default.JobRun)).ToList()));

    public void Begin() => _rows.Begin();

    public void Commit() => _rows.Commit();

    public void Rollback() => _rows.Rollback();

    public void PutMeta(string key, string value) => _rows.Put("meta", key, value);

    public void PutJob(JobSpec job) => _rows.Put("jobs", job.Id, JsonSerializer.Serialize(job, JobStoreJsonContext.Default.JobSpec));

    public void RemoveJob(string id)
    {
        _rows.Remove("jobs", id);
        _rows.Remove("job_status", id);
    }

    public void PutStatus(string jobId, JobStatus status) => _rows.Put("job_status", jobId, JsonSerializer.Serialize(status, JobStoreJsonContext.Default.JobStatus));

    public void PutRun(JobRun run) => _rows.Put("runs", run.Id, JsonSerializer.Serialize(run, JobStoreJsonContext.Default.JobRun));

    public void RemoveRun(string id) => _rows.Remove("runs", id);

    public void Dispose() => _rows.Dispose();

    private static T Read<T>(string json, JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(json, type) ?? throw new InvalidDataException("a stored record is null");
}
