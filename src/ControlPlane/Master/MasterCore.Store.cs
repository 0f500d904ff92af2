using System.Globalization;
using Minuet.ControlPlane.Master.Metrics;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Storage;

namespace Minuet.ControlPlane.Master;

/// <summary>
/// Writing to the store without letting memory and store drift apart when a write fails (disk full, I/O error).
/// Changes a caller asked for (an accept, an agent's status update, a registration, a subscription) are written
/// before memory changes; a failed write refuses the call with 503 <c>store_unavailable</c> and the caller retries.
/// Changes the master decides itself (an agent lost, an acknowledged task forgotten) cannot be refused: the record
/// is marked dirty and written again from memory on every tick until the store takes it. Either way the condition
/// shows in <c>/health</c> and <c>/metrics</c> and clears by itself once a write succeeds.
/// </summary>
internal sealed partial class MasterCore
{
    private readonly MasterMetrics _metrics = new();
    private readonly StoreHealth _storeHealth = new();
    private readonly HashSet<StoreKey> _dirty = [];

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

    /// <summary>Writes now; on failure returns the 503 the caller answers with (memory must not have changed yet).</summary>
    private MasterError? TryStore(Action<IMasterStore> write)
    {
        try
        {
            write(_store);
            if (_dirty.Count == 0)
            {
                StoreOk();
            }

            return null;
        }
        catch (Exception e) when (StoreHealth.IsStoreFault(e))
        {
            return StoreFailed(e);
        }
    }

    private MasterError StoreFailed(Exception e)
    {
        var message = StoreHealth.Describe(e);
        _metrics.StoreWriteFailures.Increment();
        _storeHealth.Failed(message, Now, _dirty.Count);
        Log.StoreWriteFailed(_log, message);
        return MasterError.StoreUnavailable(message);
    }

    /// <summary>Writes a record the master changed on its own; a failure leaves it dirty for <see cref="FlushDirty"/>.</summary>
    private void Persist(StoreKey key)
    {
        try
        {
            Write(key);
            _dirty.Remove(key);
            if (_dirty.Count == 0)
            {
                StoreOk();
            }
            else
            {
                _storeHealth.SetPending(_dirty.Count);
            }
        }
        catch (Exception e) when (StoreHealth.IsStoreFault(e))
        {
            _dirty.Add(key);
            StoreFailed(e);
        }
    }

    /// <summary>Writes every dirty record as memory holds it now; stops at the first failure (the medium is still bad).</summary>
    private void FlushDirty()
    {
        foreach (var key in _dirty.ToList())
        {
            try
            {
                Write(key);
                _dirty.Remove(key);
            }
            catch (Exception e) when (StoreHealth.IsStoreFault(e))
            {
                StoreFailed(e);
                return;
            }
        }

        StoreOk();
    }

    private void StoreOk()
    {
        if (_storeHealth.Succeeded())
        {
            Log.StoreRecovered(_log);
        }
    }

    /// <summary>The record as memory holds it now: present means put, absent means remove.</summary>
    private void Write(StoreKey key)
    {
        switch (key.Kind)
        {
            case StoreKind.Meta:
                _store.PutMeta(key.Id, key.Id switch
                {
                    MetaNextAgent => _nextAgent.ToString(CultureInfo.InvariantCulture),
                    MetaNextFramework => _nextFramework.ToString(CultureInfo.InvariantCulture),
                    _ => MasterId,
                });
                break;
            case StoreKind.Agent when _agents.TryGetValue(key.Id, out var agent):
                _store.PutAgent(StoredOf(agent));
                break;
            case StoreKind.Agent:
                _store.RemoveAgent(key.Id);
                break;
            case StoreKind.Framework when _frameworks.TryGetValue(key.Id, out var framework):
                _store.PutFramework(StoredOf(framework));
                break;
            case StoreKind.Framework:
                _store.RemoveFramework(key.Id);
                break;
            case StoreKind.Task when _tasks.TryGetValue(key.Id, out var task):
                _store.PutTask(StoredOf(task));
                break;
            case StoreKind.Task:
                _store.RemoveTask(key.Id);
                break;
            case StoreKind.Reservation:
                var reserved = _dynamicReservations.TryGetValue(key.Id, out var byRole) && byRole.TryGetValue(key.Role!, out var r) && !r.IsEmpty
                    ? r.ToResourceSet()
                    : null;
                _store.PutReservation(key.Id, key.Role!, reserved);
                break;
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
        Statuses = task.Statuses,
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
