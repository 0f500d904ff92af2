using System.Collections.Immutable;

namespace Minuet.ControlPlane.Master.State;

/// <summary>
/// Keeps <see cref="MasterStateView"/> in step with the master. Under the master lock, each change marks the records
/// it touched (agents, frameworks, tasks by id); at the end of the change <see cref="Publish"/> replaces only those
/// records in the persistent dictionaries and swaps the new view in with one volatile write. Orders of first
/// appearance are kept so the document lists agents, frameworks and tasks in a stable order.
/// </summary>
internal sealed class StateViewPublisher
{
    private readonly HashSet<string> _agents = new(StringComparer.Ordinal);
    private readonly HashSet<string> _frameworks = new(StringComparer.Ordinal);
    private readonly HashSet<string> _tasks = new(StringComparer.Ordinal);
    private bool _all = true;
    private long _nextOrder;
    private long _version;
    private MasterStateView? _current;

    /// <summary>The last published view (null before the first <see cref="Publish"/>).</summary>
    public MasterStateView? Current => Volatile.Read(ref _current);

    public void AgentChanged(string agentId) => _agents.Add(agentId);

    public void FrameworkChanged(string frameworkId) => _frameworks.Add(frameworkId);

    public void TaskChanged(string taskId) => _tasks.Add(taskId);

    /// <summary>Everything changed (recovery, a new term, stepping down): the next publish rebuilds from scratch.</summary>
    public void AllChanged() => _all = true;

    /// <summary>Publishes what changed since the last call; call under the master lock.</summary>
    public MasterStateView Publish(MasterCore core)
    {
        var previous = _current;
        if (previous is not null && !_all && _agents.Count == 0 && _frameworks.Count == 0 && _tasks.Count == 0 &&
            ReferenceEquals(previous.Changes, core.Changes) && previous.ChangeVersion == core.Changes.Version && previous.ElectedTime == core.ElectedTime)
        {
            return previous;
        }

        var full = _all || previous is null;
        var tasks = full ? ImmutableDictionary.CreateBuilder<string, TaskView>(StringComparer.Ordinal) : previous!.Tasks.ToBuilder();
        var agents = full ? ImmutableDictionary.CreateBuilder<string, AgentView>(StringComparer.Ordinal) : previous!.Agents.ToBuilder();
        var frameworks = full ? ImmutableDictionary.CreateBuilder<string, FrameworkView>(StringComparer.Ordinal) : previous!.Frameworks.ToBuilder();
        if (full)
        {
            foreach (var task in core.Tasks.Values)
            {
                tasks[task.Id] = TaskOf(task, previous?.Tasks.GetValueOrDefault(task.Id));
            }

            foreach (var agent in core.Agents.Values)
            {
                agents[agent.Id] = AgentOf(agent, core, previous?.Agents.GetValueOrDefault(agent.Id)?.Order ?? ++_nextOrder);
            }

            foreach (var framework in core.Frameworks.Values)
            {
                frameworks[framework.Id] = FrameworkOf(framework, previous?.Frameworks.GetValueOrDefault(framework.Id)?.Order ?? ++_nextOrder);
            }
        }
        else
        {
            foreach (var id in _tasks)
            {
                if (core.Tasks.TryGetValue(id, out var task))
                {
                    tasks[id] = TaskOf(task, tasks.GetValueOrDefault(id));
                }
                else
                {
                    tasks.Remove(id);
                }
            }

            foreach (var id in _agents)
            {
                if (core.Agents.TryGetValue(id, out var agent))
                {
                    agents[id] = AgentOf(agent, core, agents.GetValueOrDefault(id)?.Order ?? ++_nextOrder);
                }
                else
                {
                    agents.Remove(id);
                }
            }

            foreach (var id in _frameworks)
            {
                if (core.Frameworks.TryGetValue(id, out var framework))
                {
                    frameworks[id] = FrameworkOf(framework, frameworks.GetValueOrDefault(id)?.Order ?? ++_nextOrder);
                }
                else
                {
                    frameworks.Remove(id);
                }
            }
        }

        _all = false;
        _agents.Clear();
        _frameworks.Clear();
        _tasks.Clear();
        var view = new MasterStateView(++_version, core.MasterId, core.StartTime, core.ElectedTime, core.Options, core.Changes, core.Changes.Version,
            agents.ToImmutable(), frameworks.ToImmutable(), tasks.ToImmutable());
        Volatile.Write(ref _current, view);
        return view;
    }

    /// <summary>An agent's view as of now (also used for its stream line).</summary>
    internal static AgentView AgentOf(AgentEntry agent, MasterCore core, long order) => new(
        agent.Id,
        agent.Hostname,
        agent.Port,
        agent.Pid,
        agent.Attributes,
        agent.RegisteredTime,
        agent.ReregisteredTime,
        core.Allocator.TotalOf(agent.Id) ?? agent.Declared,
        agent.Status,
        agent.Version,
        order) { Declared = agent.Declared };

    private TaskView TaskOf(TaskEntry task, TaskView? previous)
    {
        var json = task.CachedJson ??= MasterStateWriter.RenderTask(task);
        var view = new TaskView(task.Id, task.FrameworkId, task.AgentId, task.State, task.Slice.Total, json,
            task.Statuses.Count > 0 ? task.Statuses[0].Timestamp : MasterCore.Seconds(task.LaunchedAt),
            previous?.Order ?? task.View?.Order ?? ++_nextOrder)
        {
            Launch = task.Launch,

            // A copy: the task's history grows under the lock while readers render this view without it.
            Statuses = [.. task.Statuses],
        };
        task.View = view;
        return view;
    }

    private FrameworkView FrameworkOf(FrameworkEntry framework, long order)
    {
        var completed = ImmutableArray.CreateBuilder<TaskView>(framework.CompletedTasks.Count);
        foreach (var task in framework.CompletedTasks)
        {
            // A completed task's view is current: every change to a task marks it, and it is rebuilt before this.
            completed.Add(task.View is { } view && view.State == task.State ? view : TaskOf(task, task.View));
        }

        return FrameworkOf(framework, completed.MoveToImmutable(), order);
    }

    /// <summary>A framework's view as of now; <paramref name="completed"/> may be empty where it is not shown (events).</summary>
    internal static FrameworkView FrameworkOf(FrameworkEntry framework, ImmutableArray<TaskView> completed, long order)
    {
        return new FrameworkView(
            framework.Id,
            framework.Name,
            framework.Hostname,
            framework.WebuiUrl,
            framework.Connected,
            framework.Suppressed,
            framework.User,
            framework.FailoverTimeoutSeconds,
            framework.Checkpoint,
            framework.Role,
            framework.Principal,
            framework.RegisteredTime,
            framework.ReregisteredTime,
            [.. framework.Offers.Values],
            completed,
            order);
    }
}
