namespace Minuet.ControlPlane.Coordination;

/// <summary>
/// The stores call etcd synchronously, and the master does so under its lock, so a burst of requests (agents
/// registering, status updates) parks one pool thread per request on a blocking txn. The pool then grows by about
/// one thread a second while the lease's keepalive continuations wait for a thread: on a busy machine the term was
/// lost that way ("keepalive not answered in time") seconds after an election. A floor of worker threads lets the
/// keepalive run at once; the threads cost nothing while idle. Writes outside the lock would remove the cause.
/// </summary>
internal static class StoreThreadReserve
{
    public const int MinWorkerThreads = 64;

    public static void Ensure()
    {
        ThreadPool.GetMinThreads(out int workers, out int io);
        if (workers < MinWorkerThreads)
        {
            ThreadPool.SetMinThreads(MinWorkerThreads, io);
        }
    }
}
