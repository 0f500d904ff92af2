using Microsoft.Data.Sqlite;

namespace Minuet.ControlPlane.Storage;

/// <summary>
/// One SQLite file of <c>(id, json)</c> tables, as the scheduler's and the jobs service's stores keep them: WAL,
/// <c>synchronous = NORMAL</c> (a commit survives a crash of the process without an fsync each), every write its own
/// transaction unless a batch (<see cref="Begin"/> … <see cref="Commit"/>) is open. Thread-safe: one lock around the
/// connection; <see cref="Read{T}"/> runs a whole load under it.
/// </summary>
internal sealed class SqliteJsonRows : IDisposable
{
    private readonly Lock _gate = new();
    private readonly SqliteConnection _connection;
    private SqliteTransaction? _batch;

    private SqliteJsonRows(SqliteConnection connection) => _connection = connection;

    /// <summary>Opens (creating) <paramref name="path"/> and runs <paramref name="schema"/> (CREATE … IF NOT EXISTS).</summary>
    public static SqliteJsonRows Open(string path, string schema)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Pooling = false,
        }.ToString());
        connection.Open();
        var rows = new SqliteJsonRows(connection);
        rows.Write("PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;\n" + schema);
        return rows;
    }

    /// <summary>Runs <paramref name="load"/> under the lock, so it reads one consistent state.</summary>
    public T Read<T>(Func<SqliteJsonRows, T> load)
    {
        lock (_gate)
        {
            return load(this);
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

    public void Put(string table, string id, string json) =>
        Write($"INSERT INTO {table} (id, json) VALUES ($a, $b) ON CONFLICT(id) DO UPDATE SET json = excluded.json", id, json);

    public void Remove(string table, string id) => Write($"DELETE FROM {table} WHERE id = $a", id);

    /// <summary>One statement with up to three parameters, <c>$a</c>, <c>$b</c>, <c>$c</c>.</summary>
    public void Write(string sql, string? a = null, string? b = null, string? c = null)
    {
        lock (_gate)
        {
            using var command = _connection.CreateCommand();
#pragma warning disable CA2100 // Table names are the stores' constants; values are parameters.
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

    /// <summary>Every row of <paramref name="table"/>; call inside <see cref="Read{T}"/>.</summary>
    public List<(string Id, string Json)> Rows(string table)
    {
        using var command = _connection.CreateCommand();
        command.Transaction = _batch;
#pragma warning disable CA2100 // Table names are the stores' constants.
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

    public void Dispose()
    {
        lock (_gate)
        {
            _batch?.Dispose();
            _connection.Dispose();
        }
    }
}
