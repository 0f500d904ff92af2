namespace Minuet.ControlPlane.Scheduler.Storage;

/// <summary>The store could not write: why (the error as the file system or SQLite gave it) and since when.</summary>
internal sealed record StoreFault(string Message, DateTimeOffset Since);

/// <summary>A write failed inside an API change: the change is undone and refused (503), never half applied.</summary>
internal sealed class StoreWriteException(string message, Exception inner) : Exception(message, inner);
