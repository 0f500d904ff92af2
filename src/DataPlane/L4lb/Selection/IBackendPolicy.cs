namespace Minuet.DataPlane.L4lb.Selection;

/// <summary>
/// A named way to pick the backend of a new connection. <see cref="Choose"/> runs once per SYN on a queue
/// worker thread, concurrently with other workers: it must not allocate or lock. Randomness and time come
/// from the constructor so tests can fix them.
/// </summary>
internal interface IBackendPolicy
{
    /// <summary>The name used on the command line (<c>--policy</c>) and in the API.</summary>
    string Name { get; }

    /// <summary>Precomputes per-VIP data when the table is built (e.g. a Maglev lookup table); null when none.</summary>
    object? Prepare(BackendState[] active);

    /// <summary>The backend for a new flow, or null when the route has no active backend.</summary>
    BackendState? Choose(VipRoute route, in FlowTuple flow);
}
