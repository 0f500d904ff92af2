using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Storage;

/// <summary>A store that forgets on exit: for tests and benchmarks, and for a master run without <c>--state-dir</c>.</summary>
internal sealed class InMemoryMasterStore : IMasterStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _meta = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredAgent> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredFramework> _frameworks = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredTask> _tasks = new(StringComparer.Ordinal);
    private readonly Dictionary<(string, string), ResourceSet> _reservations = [];

    public MasterStoreSnapshot Load()
    {
        lock (_gate)
        {
            return new MasterStoreSnapshot
            {
                Meta = new Dictionary<string, string>(_meta, StringComparer.Ordinal),
                Agents = _agents.Values.ToList(),
                Frameworks = _frameworks.Values.ToList(),
                Tasks = _tasks.Values.ToList(),
                Reservations = _reservations.Select(r => new StoredReservation(r.Key.Item1, r.Key.Item2, r.Value)).ToList(),
            };
        }
    }

    public void PutMeta(string key, string value)
    {
        lock (_gate)
        {
            _meta[key] = value;
        }
    }

    public void PutAgent(StoredAgent agent)
    {
        lock (_gate)
        {
            _agents[agent.Id] = agent;
        }
    }

    public void RemoveAgent(string agentId)
    {
        lock (_gate)
        {
            _agents.Remove(agentId);
        }
    }

    public void PutFramework(StoredFramework framework)
    {
        lock (_gate)
        {
            _frameworks[framework.Id] = framework;
        }
    }

    public void RemoveFramework(string frameworkId)
    {
        lock (_gate)
        {
            _frameworks.Remove(frameworkId);
        }
    }

    public void PutTask(StoredTask task)
    {
        lock (_gate)
        {
            _tasks[task.Launch.TaskId] = task;
        }
    }

    public void PutTasks(IReadOnlyList<StoredTask> tasks)
    {
        lock (_gate)
        {
            foreach (var task in tasks)
            {
                _tasks[task.Launch.TaskId] = task;
            }
        }
    }

    public void RemoveTask(string taskId)
    {
        lock (_gate)
        {
            _tasks.Remove(taskId);
        }
    }

    public void PutReservation(string agentId, string role, ResourceSet? resources)
    {
        lock (_gate)
        {
            if (resources is null || (resources.Cpus <= 0 && resources.Mem <= 0 && resources.Disk <= 0 && resources.Ports.Count == 0))
            {
                _reservations.Remove((agentId, role));
            }
            else
            {
                _reservations[(agentId, role)] = resources;
            }
        }
    }

    public void Dispose()
    {
    }
}
