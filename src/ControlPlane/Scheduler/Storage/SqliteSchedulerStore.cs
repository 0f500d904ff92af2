using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Microsoft.Data.Sqlite;
using Minuet.ControlPlane.Scheduler.Deployments;

namespace Minuet.ControlPlane.Scheduler.Storage;

/// <summary>
/// The scheduler's embedded store: <c>scheduler.db</c> in <c>--state-dir</c>, WAL, one JSON row per record, each
/// write its own transaction (the master store's pattern, see <see cref="ControlPlane.Storage.SqliteMasterStore"/>).
/// </summary>
internal sealed class SqliteSchedulerStore : ISchedulerStore
{
    public const string FileName = "scheduler.db";

    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;
    private SqliteTransaction? _batch;

    private SqliteSchedulerStore(SqliteConnection connection) => _connection = connection;

    public static SqliteSchedulerStore Open(string stateDir)
    {
        Directory.CreateDirectory(stateDir);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = Path.Combine(stateDir, FileName),
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        connection.Open();
        var store = new SqliteSchedulerStore(connection);
        store.Write("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS meta (id TEXT PRIMARY KEY, json TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS apps (id TEXT PRIMARY KEY, json TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS app_versions (id TEXT PRIMARY KEY, app TEXT NOT NULL, json TEXT NOT NULL);
            CREATE INDEX IF NOT EXISTS app_versions_app ON app_versions (app);
            CREATE TABLE IF NOT EXISTS tasks (id TEXT PRIMARY KEY, json TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS deployments (id TEXT PRIMARY KEY, json TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS groups (id TEXT PRIMARY KEY, json TEXT NOT NULL);
            """);
        return store;
    }

    public SchedulerStoreSnapshot Load()
    {
        lock (_gate)
        {
            return new SchedulerStoreSnapshot
            {
                Meta = Rows("meta").ToDictionary(r => r.Id, r => r.Json, StringComparer.Ordinal),
                Apps = Rows("apps").Select(r => Read(r.Json, SchedulerStoreJsonContext.Default.StoredApp)).ToList(),
                AppVersions = Rows("app_versions").Select(r => Read(r.Json, SchedulerStoreJsonContext.Default.StoredAppVersion)).ToList(),
                Tasks = Rows("tasks").Select(r => Read(r.Json, SchedulerStoreJsonContext.Default.StoredTask)).ToList(),
                Deployments = Rows("deployments").Select(r => Read(r.Json, SchedulerStoreJsonContext.Default.DeploymentPlan)).ToList(),
                Groups = Rows("groups").Select(r => Read(r.Json, SchedulerStoreJsonContext.Default.StoredGroup)).ToList(),
            };
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
                // SQLite may already have rolled back by itself (e.g. SQLITE_FULL); nothing of the batch remains.
            }
            finally
            {
                batch?.Dispose();
            }
        }
    }

    public void PutMeta(string key, string value) => Put("meta", key, value);

    public void PutApp(StoredApp app) => Put("apps", app.Id, JsonSerializer.Serialize(app, SchedulerStoreJsonContext.Default.StoredApp));

    public void RemoveApp(string id) => Remove("apps", id);

    public void PutAppVersion(StoredAppVersion version) =>
        Write("INSERT INTO app_versions (id, app, json) VALUES ($a, $c, $b) ON CONFLICT(id) DO UPDATE SET json = excluded.json",
            VersionKey(version.AppId, version.Version), JsonSerializer.Serialize(version, SchedulerStoreJsonContext.Default.StoredAppVersion), version.AppId);

    public void RemoveAppVersion(string appId, DateTimeOffset version) => Remove("app_versions", VersionKey(appId, version));

    public void RemoveAppVersions(string appId) => Write("DELETE FROM app_versions WHERE app = $a", appId);

    public void PutTask(StoredTask task) => Put("tasks", task.Id, JsonSerializer.Serialize(task, SchedulerStoreJsonContext.Default.StoredTask));

    public void RemoveTask(string id) => Remove("tasks", id);

    public void PutDeployment(DeploymentPlan plan) => Put("deployments", plan.Id, JsonSerializer.Serialize(plan, SchedulerStoreJsonContext.Default.DeploymentPlan));

    public void RemoveDeployment(string id) => Remove("deployments", id);

    public void PutGroup(StoredGroup group) => Put("groups", group.Id, JsonSerializer.Serialize(group, SchedulerStoreJsonContext.Default.StoredGroup));

    public void RemoveGroup(string id) => Remove("groups", id);

    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }

    private static T Read<T>(string json, JsonTypeInfo<T> info) =>
        JsonSerializer.Deserialize(json, info) ?? throw new InvalidDataException($"stored row is null: {json}");

    private void Put(string table, string id, string json) =>
        Write($"INSERT INTO {table} (id, json) VALUES ($a, $b) ON CONFLICT(id) DO UPDATE SET json = excluded.json", id, json);

    private void Remove(string table, string id) => Write($"DELETE FROM {table} WHERE id = $a", id);

    private static string VersionKey(string appId, DateTimeOffset version) =>
        appId + "@" + version.UtcTicks.ToString(System.Globalization.CultureInfo.InvariantCulture);

    private void Write(string sql, string? a = null, string? b = null, string? c = null)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
#pragma warning disable CA2100 // Table names are constants of this class; values are parameters.
            command.CommandText = sql;
#pragma warning restore CA2100
            command.Transaction = _batch;
            if (a is not null)
            {
                command.Parameters.AddWithValue("$a", a);
            }

            if (b is not null)
            {
                command.Parameters.AddWithValue("$b", b);
            }

            if (c is not null)
            {
                command.Parameters.AddWithValue("$c", c);
            }

            command.ExecuteNonQuery();
        }
    }

    private List<(string Id, string Json)> Rows(string table)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = _batch;
#pragma warning disable CA2100 // Table names are constants of this class.
        command.CommandText = $"SELECT id, json FROM {table}";
#pragma warning restore CA2100
        using var reader = command.ExecuteReader();
        var rows = new List<(string, string)>();
        while (reader.Read())
        {
            rows.Add((reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }
}
