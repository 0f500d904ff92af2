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
/// changed, the caller retries); registrations, subscriptions and operator calls, which are rare, write through the
/// queue while they hold the lock. Changes the master decides itself (an agent lost, an acknowledged task forgotten)
/// cannot be refused: a failed write leaves the record dirty and it is queued again from memory on every tick until
/// the store takes it. Either way the condition shows in <c>/health</c> and <c>/metrics</c> and clears by itself once
/// a write succeeds.
/// </summary>
internal sealed partial class MasterCore
{
    private readonly MasterMetrics _metrics = new();
    private readonly StoreHealth _storeHealth = new();
    private StoreWriteQueue _writes = null!;

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

    /// <summary>
    /// Writes now, under the lock, behind every write queued before it; on failure returns the 503 the caller answers
    /// with (memory must not have changed yet). For rare calls only: hot paths queue and wait outside the lock.
    /// </summary>
    private MasterError? TryStore(Action<IMasterStore> write)
    {
        var op = _writes.Enqueue(write);
        _writes.Drain();
        return op.Error;
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

    private readonly record struct StoreKey(StoreKind Kind, string Id, string? Role = null);
}
