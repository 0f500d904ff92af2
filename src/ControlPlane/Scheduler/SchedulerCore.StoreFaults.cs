using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Scheduler.Storage;

namespace Minuet.ControlPlane.Scheduler;

/// <summary>
/// A store that cannot write (disk full, read-only, I/O error) never leaves memory and store apart: an API change is
/// one store batch, undone in both (memory reloaded from the store) and refused with 503 when a write fails; while
/// the fault lasts changes are refused, and each tick tries to write the whole state again, which clears it.
/// </summary>
internal sealed partial class SchedulerCore
{
    /// <summary>Why the store cannot write, and since when; null when it can.</summary>
    public StoreFault? StoreFault
    {
        get
        {
            lock (_gate)
            {
                return _store.Fault;
            }
        }
    }

    /// <summary>Writes that failed since start (<c>/metrics</c>).</summary>
    public long StoreFailedWrites
    {
        get
        {
            lock (_gate)
            {
                return _store.FailedWrites;
            }
        }
    }

    internal static ChangeResult Unavailable(StoreFault fault) => new()
    {
        Status = 503,
        Message = $"the scheduler's store cannot write ({fault.Message}, since {Apps.AppJsonWriter.Timestamp(fault.Since)}); nothing was changed, try again once it can",
        Details = [new FieldError("/", ["store_write_failed"])],
    };

    /// <summary>Runs an API change as one store batch; its master calls and events leave only once it is stored.</summary>
    private ChangeResult Guarded(Func<ChangeResult> change)
    {
        if (_store.Fault is { } fault)
        {
            return Unavailable(fault);
        }

        var deferred = _deferred = [];
        try
        {
            _store.Begin();
            var result = change();
            _store.Commit();
            _deferred = null;
            foreach (var action in deferred)
            {
                action();
            }

            return result;
        }
        catch (StoreWriteException e)
        {
            _deferred = null;
            _store.Rollback();
            Log.StoreWriteFailed(_log, e.Message);
            Reload();
            return Unavailable(_store.Fault ?? new StoreFault(e.Message, Now));
        }
        finally
        {
            _deferred = null;
        }
    }

    /// <summary>Memory back to what the store holds (the change that failed is gone from both), then ask the master where tasks are.</summary>
    private void Reload()
    {
        _apps.Clear();
        _taskIndex.Clear();
        _groups.Clear();
        _deployments.Clear();
        _wanted.Clear();
        Recover(_store.Load());
        if (FrameworkId is not null && _taskIndex.Count > 0)
        {
            Send(new MasterLink.ReconcileCommand(new ReconcileRequest { Tasks = _taskIndex.Select(t => new ReconcileTask(t.Key, t.Value.Tasks[t.Key].AgentId)).ToList() }));
        }

        Evaluate();
    }

    /// <summary>While faulted: write the whole state as one batch; when that works the store is whole again.</summary>
    private void TryResync()
    {
        if (_store.Fault is null)
        {
            return;
        }

        try
        {
            _store.Begin();
            var stored = _store.Load();
            if (FrameworkId is { } frameworkId)
            {
                _store.PutMeta(MetaFrameworkId, frameworkId);
            }

            foreach (var app in stored.Apps.Where(a => !_apps.ContainsKey(a.Id)))
            {
                _store.RemoveApp(app.Id);
                _store.RemoveAppVersions(app.Id);
            }

            foreach (var app in _apps.Values)
            {
                var def = app.Definition;
                _store.PutApp(new StoredApp(def.Id, Apps.AppJsonWriter.ConfigJson(def), def.Version, def.ConfigVersion, app.Deleted));
                foreach (var version in app.Versions.Values)
                {
                    _store.PutAppVersion(version);
                }
            }

            foreach (var task in stored.Tasks.Where(t => !_taskIndex.ContainsKey(t.Id)))
            {
                _store.RemoveTask(task.Id);
            }

            foreach (var app in _apps.Values)
            {
                foreach (var task in app.Tasks.Values)
                {
                    PersistTask(task);
                }
            }

            foreach (var plan in stored.Deployments.Where(d => !_deployments.ContainsKey(d.Id)))
            {
                _store.RemoveDeployment(plan.Id);
            }

            foreach (var plan in _deployments.Values)
            {
                _store.PutDeployment(plan);
            }

            foreach (var group in stored.Groups.Where(g => !_groups.ContainsKey(g.Id)))
            {
                _store.RemoveGroup(group.Id);
            }

            foreach (var group in _groups.Values)
            {
                _store.PutGroup(group);
            }

            _store.Commit();
            Log.StoreRecovered(_log, _store.Fault?.Message ?? string.Empty);
            _store.Recovered();
        }
        catch (StoreWriteException)
        {
            _store.Rollback();
        }
    }
}
