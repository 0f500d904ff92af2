using System.Globalization;
using Minuet.ControlPlane.Allocation;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Storage;

namespace Minuet.ControlPlane.Master;

/// <summary>Start-up from the store: agents come back as "recovered" until they re-register; tasks keep their state.</summary>
internal sealed partial class MasterCore
{
    private const string MetaMasterId = "master_id";
    private const string MetaNextAgent = "next_agent";
    private const string MetaNextFramework = "next_framework";

    private string Recover(MasterStoreSnapshot snapshot, DateTimeOffset now)
    {
        long started = System.Diagnostics.Stopwatch.GetTimestamp();
        try
        {
            return RecoverState(snapshot, now);
        }
        finally
        {
            _metrics.StateRecoverMs.Set((long)System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds);
        }
    }

    private string RecoverState(MasterStoreSnapshot snapshot, DateTimeOffset now)
    {
        string? masterId;

        // HA masters share one store but each has its own id (the leader key names it), so it is not stored.
        if (_options.MasterId is { } fixedId)
        {
            masterId = fixedId;
        }
        else if (!snapshot.Meta.TryGetValue(MetaMasterId, out masterId))
        {
            masterId = NewMasterId(now, _options.Port);
            _store.PutMeta(MetaMasterId, masterId);
        }

        _view.AllChanged();
        _agents.NextId = ReadCounter(snapshot, MetaNextAgent);
        _frameworks.NextId = ReadCounter(snapshot, MetaNextFramework);

        foreach (var stored in snapshot.Frameworks)
        {
            _frameworks.Put(new FrameworkEntry
            {
                Id = stored.Id,
                Name = stored.Name,
                Role = stored.Role,
                Principal = stored.Principal,
                User = stored.User,
                Hostname = stored.Hostname,
                WebuiUrl = stored.WebuiUrl,
                FailoverTimeoutSeconds = stored.FailoverTimeout,
                Checkpoint = stored.Checkpoint,
                RegisteredTime = DateTimeOffset.FromUnixTimeMilliseconds((long)(stored.RegisteredTime * 1000)),
            });
        }

        foreach (var stored in snapshot.Agents)
        {
            _agents.Put(new AgentEntry
            {
                Id = stored.Id,
                Hostname = stored.Hostname,
                Address = stored.Address,
                Port = stored.Port,
                Declared = ResourceConversions.ToAgentResources(stored.Resources, stored.ReservedResources),
                Attributes = stored.Attributes,
                Version = stored.Version,
                RegisteredTime = DateTimeOffset.FromUnixTimeMilliseconds((long)(stored.RegisteredTime * 1000)),
                LastSeen = now,
                Status = AgentStatus.Recovered,
            });
        }

        RecoverOperatorState(snapshot);

        foreach (var reservation in snapshot.Reservations)
        {
            _agents.SetReservation(reservation.AgentId, reservation.Role, reservation.Resources.ToResources());
        }

        foreach (var stored in snapshot.Tasks)
        {
            var framework = FrameworkFor(stored.Launch.FrameworkId, stored.Launch.FrameworkName, stored.Launch.Role, now);
            var task = new TaskEntry
            {
                Launch = stored.Launch,
                State = TaskStates.TryParseMesosName(stored.State, out var state) ? state : TaskState.Unknown,
            };
            var reservedPart = stored.ReservedPart.ToResources();
            var total = stored.Launch.Resources.ToResources();
            task.Slice = new AllocatedSlice(total - reservedPart, reservedPart);
            foreach (var status in stored.Statuses)
            {
                task.Statuses.Add(status);
                task.Remember(status.Uuid);
            }

            _tasks.Put(task);
            if (task.State.IsTerminal())
            {
                framework.CompletedTasks.AddLast(task);
            }
            else
            {
                framework.Tasks[task.Id] = task;
            }

            if (_agents.TryGetValue(task.AgentId, out var agent))
            {
                agent.TaskIds.Add(task.Id);
            }

            // A terminal update the framework had not acknowledged before the restart is owed again.
            if (task.State.IsTerminal() && task.Statuses.Count > 0)
            {
                framework.PendingUpdates[task.Id] = new Queue<PendingUpdate>([new PendingUpdate(ToSchedulerStatus(task.Statuses[^1], requireAck: true))]);
            }
        }

        return masterId;
    }

    private static long ReadCounter(MasterStoreSnapshot snapshot, string key) =>
        snapshot.Meta.TryGetValue(key, out var text) && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long n) ? n : 0;

    /// <summary>The framework a task belongs to, created (disconnected) when the master has lost or never had it.</summary>
    private FrameworkEntry FrameworkFor(string frameworkId, string? name, string role, DateTimeOffset now)
    {
        if (!_frameworks.TryGetValue(frameworkId, out var framework))
        {
            framework = new FrameworkEntry { Id = frameworkId, Name = name ?? frameworkId, Role = role, RegisteredTime = now };
            _frameworks.Put(framework);
            PersistFramework(framework);
        }

        return framework;
    }

    private static AllocatedSlice SliceOf(LaunchTaskRequest launch, ResourceSet? reservedPart)
    {
        var total = launch.Resources.ToResources();
        var reserved = reservedPart.ToResources();
        return new AllocatedSlice(total - reserved, reserved);
    }
}
