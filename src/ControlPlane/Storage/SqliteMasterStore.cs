using System.Text.Json;
using Microsoft.Data.Sqlite;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Storage;

/// <summary>
/// The embedded store: one SQLite file (<c>master.db</c>) in <c>--state-dir</c>, WAL journal, one row per record
/// holding its JSON. Every write is its own transaction. <c>synchronous = NORMAL</c> in WAL mode: a committed
/// write survives the master process dying (the restart this store is for); only an OS crash or power loss can
/// drop the last few commits, as a price for not waiting on fsync under the master lock.
/// </summary>
internal sealed class SqliteMasterStore : IMasterStore
{
    public const string FileName = "master.db";

    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;

    private SqliteMasterStore(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens (creating when absent) the store in <paramref name="stateDir"/>.</summary>
    public static SqliteMasterStore Open(string stateDir)
    {
        Directory.CreateDirectory(stateDir);
        var path = Path.Combine(stateDir, FileName);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        connection.Open();
        var store = new SqliteMasterStore(connection);
        store.Execute("""
            PRAGMA journal_mode = WAL;
            PRAGMA synchronous = NORMAL;
            CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS agents (id TEXT PRIMARY KEY, json TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS frameworks (id TEXT PRIMARY KEY, json TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS tasks (id TEXT PRIMARY KEY, framework_id TEXT NOT NULL, agent_id TEXT NOT NULL, json TEXT NOT NULL);
            CREATE TABLE IF NOT EXISTS reservations (agent_id TEXT NOT NULL, role TEXT NOT NULL, json TEXT NOT NULL, PRIMARY KEY (agent_id, role));
            """);
        return store;
    }

    public MasterStoreSnapshot Load()
    {
        lock (_gate)
        {
            var meta = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var (key, value) in Rows("SELECT key, value FROM meta"))
            {
                meta[key] = value;
            }

            return new MasterStoreSnapshot
            {
                Meta = meta,
                Agents = Rows("SELECT id, json FROM agents").Select(r => Deserialize(r.Value, StoreJsonContext.Default.StoredAgent)).ToList(),
                Frameworks = Rows("SELECT id, json FROM frameworks").Select(r => Deserialize(r.Value, StoreJsonContext.Default.StoredFramework)).ToList(),
                Tasks = Rows("SELECT id, json FROM tasks").Select(r => Deserialize(r.Value, StoreJsonContext.Default.StoredTask)).ToList(),
                Reservations = ReservationRows(),
            };
        }
    }

    public void PutMeta(string key, string value) =>
        Write("INSERT INTO meta (key, value) VALUES ($a, $b) ON CONFLICT(key) DO UPDATE SET value = excluded.value", key, value);

    public void PutAgent(StoredAgent agent) =>
        Write("INSERT INTO agents (id, json) VALUES ($a, $b) ON CONFLICT(id) DO UPDATE SET json = excluded.json",
            agent.Id, JsonSerializer.Serialize(agent, StoreJsonContext.Default.StoredAgent));

    public void RemoveAgent(string agentId) => Write("DELETE FROM agents WHERE id = $a", agentId);

    public void PutFramework(StoredFramework framework) =>
        Write("INSERT INTO frameworks (id, json) VALUES ($a, $b) ON CONFLICT(id) DO UPDATE SET json = excluded.json",
            framework.Id, JsonSerializer.Serialize(framework, StoreJsonContext.Default.StoredFramework));

    public void RemoveFramework(string frameworkId) => Write("DELETE FROM frameworks WHERE id = $a", frameworkId);

    private const string PutTaskSql =
        "INSERT INTO tasks (id, framework_id, agent_id, json) VALUES ($a, $c, $d, $b) ON CONFLICT(id) DO UPDATE SET json = excluded.json, agent_id = excluded.agent_id";

    public void PutTask(StoredTask task) =>
        Write(PutTaskSql, task.Launch.TaskId, JsonSerializer.Serialize(task, StoreJsonContext.Default.StoredTask), task.Launch.FrameworkId, task.Launch.AgentId);

    public void PutTasks(IReadOnlyList<StoredTask> tasks)
    {
        lock (_gate)
        {
            using var transaction = _connection.BeginTransaction();
            foreach (var task in tasks)
            {
                using var command = _connection.CreateCommand();
                command.Transaction = transaction;
                command.CommandText = PutTaskSql;
                command.Parameters.AddWithValue("$a", task.Launch.TaskId);
                command.Parameters.AddWithValue("$b", JsonSerializer.Serialize(task, StoreJsonContext.Default.StoredTask));
                command.Parameters.AddWithValue("$c", task.Launch.FrameworkId);
                command.Parameters.AddWithValue("$d", task.Launch.AgentId);
                command.ExecuteNonQuery();
            }

            // Disposing without a commit (a failed insert or the commit itself failing) rolls all of them back.
            transaction.Commit();
        }
    }

    public void RemoveTask(string taskId) => Write("DELETE FROM tasks WHERE id = $a", taskId);

    public void PutReservation(string agentId, string role, ResourceSet? resources)
    {
        if (resources is null || (resources.Cpus <= 0 && resources.Mem <= 0 && resources.Disk <= 0 && resources.Ports.Count == 0))
        {
            Write("DELETE FROM reservations WHERE agent_id = $a AND role = $b", agentId, role);
            return;
        }

        Write("INSERT INTO reservations (agent_id, role, json) VALUES ($a, $b, $c) ON CONFLICT(agent_id, role) DO UPDATE SET json = excluded.json",
            agentId, role, JsonSerializer.Serialize(resources, StoreJsonContext.Default.ResourceSet));
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _connection.Dispose();
        }
    }

    private static T Deserialize<T>(string json, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> info) =>
        JsonSerializer.Deserialize(json, info) ?? throw new InvalidDataException($"stored row is null: {json}");

    private void Execute(string sql)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }

    private void Write(string sql, string a, string? b = null, string? c = null, string? d = null)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            command.Parameters.AddWithValue("$a", a);
            if (b is not null)
            {
                command.Parameters.AddWithValue("$b", b);
            }

            if (c is not null)
            {
                command.Parameters.AddWithValue("$c", c);
            }

            if (d is not null)
            {
                command.Parameters.AddWithValue("$d", d);
            }

            command.ExecuteNonQuery();
        }
    }

    private List<KeyValuePair<string, string>> Rows(string sql)
    {
        using var command = _connection.CreateCommand();
        command.CommandText = sql;
        using var reader = command.ExecuteReader();
        var rows = new List<KeyValuePair<string, string>>();
        while (reader.Read())
        {
            rows.Add(new(reader.GetString(0), reader.GetString(1)));
        }

        return rows;
    }

    private List<StoredReservation> ReservationRows()
    {
        using var command = _connection.CreateCommand();
        command.CommandText = "SELECT agent_id, role, json FROM reservations";
        using var reader = command.ExecuteReader();
        var rows = new List<StoredReservation>();
        while (reader.Read())
        {
            rows.Add(new StoredReservation(reader.GetString(0), reader.GetString(1),
                Deserialize(reader.GetString(2), StoreJsonContext.Default.ResourceSet)));
        }

        return rows;
    }
}
