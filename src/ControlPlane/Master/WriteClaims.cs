namespace Minuet.ControlPlane.Master;

/// <summary>
/// Records a caller's change is being written for, between its check under the master lock and its apply under the
/// lock again (the write itself happens outside it). A second change to the same record (the same agent's
/// registration, the quota set, the gone-agent list) waits for the first to be applied, so its check and its write
/// see memory with the first one in it. Guarded by the master lock; waiting happens outside it.
/// </summary>
internal sealed class WriteClaims
{
    private readonly Dictionary<string, ManualResetEventSlim> _held = new(StringComparer.Ordinal);

    /// <summary>Claims <paramref name="key"/>, or returns the event to wait on (outside the lock) while another holds it.</summary>
    public ManualResetEventSlim? TryClaim(string key)
    {
        if (_held.TryGetValue(key, out var busy))
        {
            return busy;
        }

        _held[key] = new ManualResetEventSlim();
        return null;
    }

    /// <summary>Lets the next change to <paramref name="key"/> go ahead.</summary>
    public void Release(string? key)
    {
        if (key is not null && _held.Remove(key, out var done))
        {
            // Not disposed: a waiter may still be about to wait on it; it is small and the GC takes it.
            done.Set();
        }
    }
}
