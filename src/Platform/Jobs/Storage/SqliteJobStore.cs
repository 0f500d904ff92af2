using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Data.Sqlite;
using Minuet.Platform.Jobs.Model;

namespace Minuet.Platform.Jobs.Storage;

/// <summary>
/// <c>jobs.db</c> in <c>--state-dir</c>: WAL, one JSON row per record, batches as transactions (the scheduler
/// store's pattern, see <c>SqliteSchedulerStore</c>). <c>synchronous = NORMAL</c> as the master's and scheduler's
/// stores: in WAL mode a commit survives a crash of the process (what exactly-once launching is about) without an
/// fsync per commit; FULL cost one fsync per status update, tens of seconds of lock hold for thousands of finishing runs.
/// </summary>
internal sealed class SqliteJobStore : IJobStore
{
    public const string FileName = "jobs.db";

    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;
    private SqliteTransaction? _batch;

    private SqliteJobStore(SqliteConnection connection) => _connection = connection;

    public static SqliteJobStore Open(string stateDir)
    {
        Directory.CreateDirectory(stateDir);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(stateDir, FileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        connection.Open();
        var store = new SqliteJobStore(connection);
        store.Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS meta (id TEXT PRIMARY KEY, json TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS jobs (id TEXT PRIMARY KEY, json TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS job_status (id TEXT PRIMARY KEY, json TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS runs (id TEXT PRIMARY KEY, json TEXT NOT NULL);
            """, null, null);
        return store;
    }

    public JobStoreSnapshot Load()
    {
        lock (_gate)
        {
            return new JobStoreSnapshot(
                Rows("meta").ToDictionary(r => r.Id, r => r.Json, StringComparer.Ordinal),
                Rows("jobs").Select(r => Read(r.Json, JobStoreJsonContext.Default.JobSpec)).ToList(),
                Rows("job_status").ToDictionary(r => r.Id, r => Read(r.Json, JobStoreJsonContext.Default.JobStatus), StringComparer.Ordinal),
                Rows("runs").Select(r => Read(r.Json, JobStoreJsonContext.Default.JobRun)).ToList());
        }
    }

    public void Begin()
    {
        lock (_gate)
        {
            _batch ??= _connection.BeginTransaction();
        }
    }

    public void Commit()
    {
        lock (_gate)
        {
            var batch = _batch;
            _batch = null;
            try
            {
                batch?.Commit();
            }
            finally
            {
                batch?.Dispose();
            }
        }
    }

    public void Rollback()
    {
        lock (_gate)
        {
            var batch = _batch;
            _batch = null;
            try
            {
                batch?.Rollback();
            }
            catch (SqliteException)
            {
                // SQLite may already have rolled back by itself (e.g. SQLITE_FULL).
            }
            finally
            {
                batch?.Dispose();
            }
        }
    }

    public void PutMeta(string key, string value) => Put("meta", key, value);

    public void PutJob(JobSpec job) => Put("jobs", job.Id, JsonSerializer.Serialize(job, JobStoreJsonContext.Default.JobSpec));

    public void RemoveJob(string id)
    {
        Remove("jobs", id);
        Remove("job_status", id);
    }

    public void PutStatus(string jobId, JobStatus status) => Put("job_status", jobId, JsonSerializer.Serialize(status, JobStoreJsonContext.Default.JobStatus));

    public void PutRun(JobRun run) => Put("runs", run.Id, JsonSerializer.Serialize(run, JobStoreJsonContext.Default.JobRun));

    public void RemoveRun(string id) => Remove("runs", id);

    public void Dispose()
    {
        lock (_gate)
        {
            _batch?.Dispose();
            _connection.Dispose();
        }
    }

    private static T Read<T>(string json, JsonTypeInfo<T> type) =>
        JsonSerializer.Deserialize(json, type) ?? throw new InvalidDataException("a stored record is null");

    private void Put(string table, string id, string json) =>
        Execute($"INSERT INTO {table} (id, json) VALUES ($a, $b) ON CONFLICT(id) DO UPDATE SET json = excluded.json", id, json);

    private void Remove(string table, string id) => Execute($"DELETE FROM {table} WHERE id = $a", id, null);

    private void Execute(string sql, string? a, string? b)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.Transaction = _batch;
            command.CommandText = sql;
            if (a is not null)
            {
                command.Parameters.AddWithValue("$a", a);
            }

            if (b is not null)
            {
                command.Parameters.AddWithValue("$b", b);
            }

            command.ExecuteNonQuery();
        }
    }

    private List<(string Id, string Json)> Rows(string table)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = $"SELECT id, json FROM {table}";
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }
}
