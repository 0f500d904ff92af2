using System.Globalization;
using Minuet.ControlPlane.Master.Metrics;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Storage;

namespace Minuet.ControlPlane.Master;

/// <summary>
/// Writing to the store without letting memory and store drift apart when a write fails (disk full, I/O error), and
/// without writing under the master lock: changes enqueue their writes on <see cref="StoreWriteQueue"/> (records
/// copied as they are then), and the queue writes them in order once the lock is released. Changes a caller asked
/// for are written before memory changes: a status update or an accept is checked and queued under the lock, written
/// outside it, and applied under the lock again only if the write landed (else 503 <c>store_unavailable</c>, nothing
/// changed, the caller retries); registrations, subscriptions and operator calls go the same way
/// (<see cref="StoreThenApply{T}"/>). Changes the master decides itself (an agent lost, an acknowledged task forgotten)
/// cannot be refused: a failed write leaves the record dirty and it is queued again from memory on every tick until
/// the store takes it. Either way the condition shows in <c>/health</c> and <c>/metrics</c> and clears by itself once
/// a write succeeds.
/// </summary>
internal sealed partial class MasterCore
{
    private readonly MasterMetrics _metrics = new();
    private readonly StoreHealth _storeHealth = new();
    private readonly WriteClaims _claims = new();
    private StoreWriteQueue _writes = null!;

    /// <summary>Bumped whenever the state is forgotten (a term began or ended): a write checked in an older term is not applied.</summary>
    private long _term;

    private enum StoreKind
    {
        Meta,
        Agent,
        Framework,
        Task,
        Reservation,
    }

    public MasterMetrics Metrics => _metrics;

    public StoreHealth StoreHealth => _storeHealth;

    /// <summary>Store writes queued and not yet being written (tests: a change was checked and waits behind another write).</summary>
    internal int QueuedWrites => _writes.Queued;

    /// <summary>
    /// A change a caller asked for, written before memory changes but outside the master lock: <paramref name="check"/>
    /// runs under the lock and either answers at once or names the write and what to do once it is done;
    /// the write goes through the ordered queue after the lock is released; <see cref="Staged{T}.Apply"/> runs under
    /// the lock again with the write's outcome (null: it landed), and the caller is answered only then. A failed write
    /// (or a term that ended meanwhile) reaches Apply as the 503 to answer with, and Apply changes nothing. Changes
    /// to the same <paramref name="claim"/> run one after another, so each is checked against memory with the last one in it.
    /// </summary>
    private T StoreThenApply<T>(string? claim, Func<Staged<T>> check)
    {
        while (true)
        {
            ManualResetEventSlim? busy;
            Staged<T> staged;
            StoreWrite write;
            long term;
            using (Mutate())
            {
                busy = claim is null ? null : _claims.TryClaim(claim);
                if (busy is null)
                {
                    try
                    {
                        staged = check();
                    }
                    catch
                    {
                        _claims.Release(claim);
                        throw;
                    }

                    if (staged.Write is null)
                    {
                        _claims.Release(claim);
                        return staged.Result;
                    }

                    write = _writes.Enqueue(staged.Write);
                    term = _term;
                }
                else
                {
                    (staged, write, term) = (null!, null!, 0);
                }
            }

            if (busy is not null)
            {
                busy.Wait();
                continue;
            }

            // Usually written already: the end of the change above drained the queue on this thread.
            _writes.WaitFor(write);
            using (Mutate())
            {
                try
                {
                    var error = write.Error ?? (term != _term || _standby
                        ? MasterError.StoreUnavailable("not applied: this master stopped leading while it was stored; send it again")
                        : null);
                    return staged.Apply!(error);
                }
                finally
                {
                    _claims.Release(claim);
                }
            }
        }
    }

    /// <summary>Queues the record as memory holds it now (put if present, remove if not); a failed write leaves it dirty.</summary>
    private void Persist(StoreKey key) => _writes.Enqueue(Capture(key), key);

    /// <summary>Queues every dirty record again as memory holds it now.</summary>
    private void FlushDirty()
    {
        foreach (var key in _writes.TakeDirty())
        {
            Persist((StoreKey)key);
        }
    }

    /// <summary>The write of the record as memory holds it now: present means put, absent means remove.</summary>
    private Action<IMasterStore> Capture(StoreKey key)
    {
        switch (key.Kind)
        {
            case StoreKind.Meta:
                var value = key.Id switch
                {
                    MetaNextAgent => _agents.NextId.ToString(CultureInfo.InvariantCulture),
                    MetaNextFramework => _frameworks.NextId.ToString(CultureInfo.InvariantCulture),
                    _ => MasterId,
                };
                return s => s.PutMeta(key.Id, value);
            case StoreKind.Agent when _agents.TryGetValue(key.Id, out var agent):
                var storedAgent = StoredOf(agent);
                return s => s.PutAgent(storedAgent);
            case StoreKind.Agent:
                return s => s.RemoveAgent(key.Id);
            case StoreKind.Framework when _frameworks.TryGetValue(key.Id, out var framework):
                var storedFramework = StoredOf(framework);
                return s => s.PutFramework(storedFramework);
            case StoreKind.Framework:
                return s => s.RemoveFramework(key.Id);
            case StoreKind.Task when _tasks.TryGetValue(key.Id, out var task):
                var storedTask = StoredOf(task);
                return s => s.PutTask(storedTask);
            case StoreKind.Task:
                return s => s.RemoveTask(key.Id);
            default:
                var reserved = _agents.ReservationsOn(key.Id).TryGetValue(key.Role!, out var r) && !r.IsEmpty ? r.ToResourceSet() : null;
                return s => s.PutReservation(key.Id, key.Role!, reserved);
        }
    }

    private void PersistTask(TaskEntry task) => Persist(new StoreKey(StoreKind.Task, task.Id));

    private void UnpersistTask(string taskId) => Persist(new StoreKey(StoreKind.Task, taskId));

    private void PersistAgent(AgentEntry agent) => Persist(new StoreKey(StoreKind.Agent, agent.Id));

    private void PersistFramework(FrameworkEntry framework) => Persist(new StoreKey(StoreKind.Framework, framework.Id));

    private void UnpersistFramework(string frameworkId) => Persist(new StoreKey(StoreKind.Framework, frameworkId));

    private void PersistMeta(string key) => Persist(new StoreKey(StoreKind.Meta, key));

    private void PersistReservation(string agentId, string role) => Persist(new StoreKey(StoreKind.Reservation, agentId, role));

    private static StoredTask StoredOf(TaskEntry task) => new()
    {
        Launch = task.Launch,
        State = task.State.ToMesosName(),

        // A copy: the write happens after the lock is released, while the task's history may grow.
        Statuses = [.. task.Statuses],
        ReservedPart = task.Slice.Reserved.IsEmpty ? null : task.Slice.Reserved.ToResourceSet(),
    };

    private static StoredAgent StoredOf(AgentEntry agent) => new()
    {
        Id = agent.Id,
        Hostname = agent.Hostname,
        Address = agent.Address,
        Port = agent.Port,
        Resources = agent.Declared.Unreserved.ToResourceSet(),
        ReservedResources = agent.Declared.Reserved.ToDictionary(p => p.Key, p => p.Value.ToResourceSet(), StringComparer.Ordinal),
        Attributes = agent.Attributes,
        Version = agent.Version,
        RegisteredTime = Seconds(agent.RegisteredTime),
    };

    private static StoredFramework StoredOf(FrameworkEntry framework) => new()
    {
        Id = framework.Id,
        Name = framework.Name,
        Role = framework.Role,
        Principal = framework.Principal,
        User = framework.User,
        Hostname = framework.Hostname,
        WebuiUrl = framework.WebuiUrl,
        FailoverTimeout = framework.FailoverTimeoutSeconds,
        Checkpoint = framework.Checkpoint,
        RegisteredTime = Seconds(framework.RegisteredTime),
    };

    /// <summary>
    /// What a checked change does: <see cref="Result"/> at once (no <see cref="Write"/>), or <see cref="Write"/> to the
    /// store first and then <see cref="Apply"/> with its outcome (null: written), under the master lock.
    /// </summary>
    private sealed record Staged<T>(T Result, Action<IMasterStore>? Write = null, Func<MasterError?, T>? Apply = null)
    {
        public static Staged<T> Done(T result) => new(result);

        public static Staged<T> Change(Action<IMasterStore> write, Func<MasterError?, T> apply) => new(default!, write, apply);
    }

    private readonly record struct StoreKey(StoreKind Kind, string Id, string? Role = null);
}
