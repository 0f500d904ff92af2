using Microsoft.Data.Sqlite;

namespace Minuet.ControlPlane.Master.Metrics;

/// <summary>
/// Whether the last write to the master's store succeeded, and if not why and since when. Set under the master
/// lock, read by <c>/health</c> and <c>/metrics</c> without it (one immutable snapshot swapped atomically).
/// </summary>
internal sealed class StoreHealth
{
    private Snapshot _current = Snapshot.Healthy;

    public Snapshot Current => Volatile.Read(ref _current);

    /// <summary>Marks the store healthy; true when it was not (the caller logs the recovery).</summary>
    public bool Succeeded()
    {
        if (Current.IsHealthy)
        {
            return false;
        }

        Volatile.Write(ref _current, Snapshot.Healthy);
        return true;
    }

    public void Failed(string error, DateTimeOffset now, int pendingWrites)
    {
        var since = Current.IsHealthy ? now : Current.Since;
        Volatile.Write(ref _current, new Snapshot(false, error, since, pendingWrites));
    }

    public void SetPending(int pendingWrites)
    {
        var current = Current;
        if (!current.IsHealthy && current.PendingWrites != pendingWrites)
        {
            Volatile.Write(ref _current, current with { PendingWrites = pendingWrites });
        }
    }

    /// <summary>"disk full", "I/O error", ...: the condition an operator acts on, then SQLite's own words.</summary>
    public static string Describe(Exception e) => e switch
    {
        SqliteException { SqliteErrorCode: 13 } => "state store write failed: disk full (" + e.Message + ")",
        SqliteException { SqliteErrorCode: 10 } => "state store write failed: I/O error (" + e.Message + ")",
        SqliteException { SqliteErrorCode: 8 } => "state store write failed: read-only (" + e.Message + ")",
        _ => "state store write failed: " + e.Message,
    };

    /// <summary>Faults of the storage medium, as opposed to bugs: these are survived and retried.</summary>
    public static bool IsStoreFault(Exception e) => e is SqliteException or IOException or UnauthorizedAccessException or StoreWriteException;

    internal sealed record Snapshot(bool IsHealthy, string? Error, DateTimeOffset? Since, int PendingWrites)
    {
        public static readonly Snapshot Healthy = new(true, null, null, 0);
    }
}

/// <summary>A store write that failed for a reason the store itself reports (fault-injecting stores in tests, replicated stores).</summary>
internal sealed class StoreWriteException(string message) : Exception(message);
