using System.Collections.Immutable;
using System.Text.Json;
using Minuet.DataPlane.Model;

namespace Minuet.DataPlane.Sources;

/// <summary>
/// The cluster as the master's endpoint stream has described it so far: a snapshot, then agent/framework/task
/// deltas applied in version order. Lines that do not fit (a bad field, a version gap) come back as errors and
/// leave the state as it was; the source then resyncs with a fresh snapshot. Not thread-safe: one reader applies.
/// </summary>
internal sealed class MasterStreamState
{
    private static readonly HashSet<string> GoneStates = new(StringComparer.Ordinal)
    {
        "TASK_FINISHED", "TASK_FAILED", "TASK_KILLED", "TASK_LOST", "TASK_ERROR", "TASK_DROPPED", "TASK_GONE",
        "TASK_GONE_BY_OPERATOR", "TASK_UNKNOWN", "TASK_UNREACHABLE",
    };

    private readonly Dictionary<string, AgentInfo> _agents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FrameworkRecord> _frameworks = new(StringComparer.Ordinal);
    private string? _leader;
    private readonly List<TaskChange> _changes = [];
    private bool _structural = true;

    /// <summary>The version of the last line applied; 0 before the first snapshot.</summary>
    public long Version { get; private set; }

    public bool HasSnapshot { get; private set; }

    /// <summary>Drops the resume point, so the next connection starts with a snapshot (the state is kept meanwhile).</summary>
    public void ForgetVersion() => HasSnapshot = false;

    /// <summary>Applies one stream line. Returns null, or the error that leaves the state unchanged.</summary>
    public StateParseError? Apply(ReadOnlySpan<byte> line, out bool changed)
    {
        changed = false;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line.ToArray());
        }
        catch (JsonException ex)
        {
            return new StateParseError("$", "not valid JSON: " + ex.Message);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("type", out var typeElement) || typeElement.ValueKind != JsonValueKind.String
                || !root.TryGetProperty("version", out var versionElement) || !versionElement.TryGetInt64(out long version))
            {
                return new StateParseError("$", "a stream line needs a string \"type\" and an integer \"version\"");
            }

            string type = typeElement.GetString()!;
            if (type == "snapshot")
            {
                return ApplySnapshot(root, version, out changed);
            }

            if (!HasSnapshot)
            {
                return new StateParseError("type", $"\"{type}\" before any snapshot");
            }

            if (type == "heartbeat")
            {
                return null;
            }

            if (version != Version + 1)
            {
                return new StateParseError("version", $"expected {Version + 1}, got {version} (a change was missed)");
            }

            var error = type switch
            {
                "task" => ApplyTask(root),
                "agent" => ApplyAgent(root),
                "agent_removed" => RemoveAgent(root),
                "framework" => ApplyFramework(root),
                "framework_removed" => RemoveFramework(root),
                _ => null, // a newer master's line type: skip it, keep the version moving
            };
            if (error is null)
            {
                Version = version;
                changed = type is "task" or "agent" or "agent_removed" or "framework" or "framework_removed";
            }

            return error;
        }
    }

    /// <summary>The current state as the pipeline takes it; each framework's tasks ordered by id (a shared, persistent view).</summary>
    public ClusterState Build()
    {
        var frameworks = new List<FrameworkInfo>(_frameworks.Count);
        foreach (var record in _frameworks.Values)
        {
            frameworks.Add(record.Info with { Tasks = new SortedTaskList(record.Tasks) });
        }

        return new ClusterState { Leader = _leader, Agents = [.. _agents.Values], Frameworks = frameworks, Version = Version };
    }

    /// <summary>
    /// What changed since the last call: the task changes in order, or a rebuild when anything else changed (a
    /// snapshot, an agent, a framework, the leader). Starts over for the next changes.
    /// </summary>
    public StateDelta TakeDelta()
    {
        var delta = _structural ? StateDelta.Full : new StateDelta(false, [.. _changes]);
        _changes.Clear();
        _structural = false;
        return delta;
    }

    private StateParseError? ApplySnapshot(JsonElement root, long version, out bool changed)
    {
        changed = false;
        if (!root.TryGetProperty("state", out var stateElement))
        {
            return new StateParseError("state", "a snapshot line needs the state");
        }

        var parsed = MesosStateParser.Parse(System.Text.Encoding.UTF8.GetBytes(stateElement.GetRawText()), version);
        if (!parsed.IsSuccess)
        {
            return parsed.Error!.Under("state");
        }

        _agents.Clear();
        _frameworks.Clear();
        _structural = true;
        _leader = parsed.State!.Leader;
        foreach (var agent in parsed.State.Agents)
        {
            _agents[agent.Id] = agent;
        }

        foreach (var framework in parsed.State.Frameworks)
        {
            var record = new FrameworkRecord(framework with { Tasks = [] });
            var tasks = ImmutableSortedDictionary.CreateBuilder<string, TaskInfo>(StringComparer.Ordinal);
            foreach (var task in framework.Tasks)
            {
                tasks[task.Id] = task;
            }

            record.Tasks = tasks.ToImmutable();

            _frameworks[framework.Id] = record;
        }

        Version = version;
        HasSnapshot = true;
        changed = true;
        return null;
    }

    private StateParseError? ApplyTask(JsonElement root)
    {
        if (!root.TryGetProperty("task", out var taskElement))
        {
            return new StateParseError("task", "missing");
        }

        string frameworkId = root.TryGetProperty("framework_id", out var fid) && fid.ValueKind == JsonValueKind.String ? fid.GetString()! : string.Empty;
        if (MesosStateParser.ParseTaskObject(taskElement, frameworkId, out var task) is { } error)
        {
            return error.Under("task");
        }

        if (!_frameworks.TryGetValue(task!.FrameworkId, out var record))
        {
            // A task can precede its framework line (an adopted task after agent re-registration): keep it under a
            // nameless framework; Mesos-DNS publishes nothing for a framework without a name until it is known.
            record = new FrameworkRecord(new FrameworkInfo { Id = task.FrameworkId, Name = string.Empty });
            _frameworks[task.FrameworkId] = record;
            _structural = true;
        }

        if (GoneStates.Contains(task.State))
        {
            record.Tasks = record.Tasks.Remove(task.Id);
            _changes.Add(new TaskChange(task.FrameworkId, task.Id, null));
        }
        else
        {
            record.Tasks = record.Tasks.SetItem(task.Id, task);
            _changes.Add(new TaskChange(task.FrameworkId, task.Id, task));
        }

        return null;
    }

    private StateParseError? ApplyAgent(JsonElement root)
    {
        if (!root.TryGetProperty("agent", out var agentElement))
        {
            return new StateParseError("agent", "missing");
        }

        if (MesosStateParser.ParseAgentObject(agentElement, out var agent) is { } error)
        {
            return error.Under("agent");
        }

        if (!_agents.TryGetValue(agent!.Id, out var known) || known != agent)
        {
            _agents[agent.Id] = agent;
            _structural = true;
        }

        return null;
    }

    private StateParseError? RemoveAgent(JsonElement root)
    {
        if (!root.TryGetProperty("agent_id", out var id) || id.ValueKind != JsonValueKind.String)
        {
            return new StateParseError("agent_id", "expected a string");
        }

        _structural |= _agents.Remove(id.GetString()!);
        return null;
    }

    private StateParseError? ApplyFramework(JsonElement root)
    {
        if (!root.TryGetProperty("framework", out var element) || element.ValueKind != JsonValueKind.Object
            || !element.TryGetProperty("id", out var idElement) || idElement.ValueKind != JsonValueKind.String)
        {
            return new StateParseError("framework.id", "expected a framework object with a string id");
        }

        string id = idElement.GetString()!;
        string name = element.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKind.String ? n.GetString()! : string.Empty;
        string? hostname = element.TryGetProperty("hostname", out var h) && h.ValueKind == JsonValueKind.String ? h.GetString() : null;
        if (_frameworks.TryGetValue(id, out var record))
        {
            var info = record.Info with { Name = name, Hostname = hostname };
            _structural |= info != record.Info;
            record.Info = info;
        }
        else
        {
            _frameworks[id] = new FrameworkRecord(new FrameworkInfo { Id = id, Name = name, Hostname = hostname });
            _structural = true;
        }

        return null;
    }

    private StateParseError? RemoveFramework(JsonElement root)
    {
        if (!root.TryGetProperty("framework_id", out var id) || id.ValueKind != JsonValueKind.String)
        {
            return new StateParseError("framework_id", "expected a string");
        }

        _structural |= _frameworks.Remove(id.GetString()!);
        return null;
    }

    private sealed class FrameworkRecord(FrameworkInfo info)
    {
        public FrameworkInfo Info { get; set; } = info;

        // Persistent, so every published state shares it instead of copying 100,000 tasks per change.
        public ImmutableSortedDictionary<string, TaskInfo> Tasks { get; set; } = ImmutableSortedDictionary.Create<string, TaskInfo>(StringComparer.Ordinal);
    }
}
