namespace Minuet.DataPlane.Model;

/// <summary>
/// Holds the current <see cref="DataPlaneSnapshot"/>. Readers never lock: <see cref="Current"/> is one
/// volatile read. <see cref="Publish"/> swaps the reference and then tells subscribers (the DNS server
/// recompiles its answers from it), so a reader sees either the old or the new snapshot, never a mix.
/// </summary>
public sealed class SnapshotStore
{
    private DataPlaneSnapshot? _current;

    /// <summary>Raised after a new snapshot is visible, on the publishing thread.</summary>
    public event Action<DataPlaneSnapshot>? Published;

    /// <summary>The snapshot in force, or null before the first successful build.</summary>
    public DataPlaneSnapshot? Current => Volatile.Read(ref _current);

    public void Publish(DataPlaneSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        Volatile.Write(ref _current, snapshot);
        Published?.Invoke(snapshot);
    }
}
