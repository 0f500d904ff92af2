using Minuet.ControlPlane.Agent.Executors;
using Minuet.ControlPlane.Agent.Operator;

namespace Minuet.ControlPlane.Agent.Runtime;

/// <summary>Snapshots for the agent's state endpoints (v0 <c>/state</c>, v1 GET_STATE) and the files API.</summary>
internal sealed partial class AgentRuntime
{
    /// <summary>Live tasks (with their sandbox), then recently completed ones, oldest completed last.</summary>
    public IReadOnlyList<AgentTaskView> TaskViews()
    {
        var views = new List<AgentTaskView>();
        var (live, completed) = _executors is { } executors ? executors.Runs() : ([], []);
        var queued = new HashSet<string>(StringComparer.Ordinal);
        var executorDirs = new Dictionary<(string, string), string>();
        foreach (var run in live.Concat(completed))
        {
            lock (run.Gate)
            {
                foreach (var task in run.Queued)
                {
                    queued.Add(task.TaskId);
                }
            }

            executorDirs.TryAdd((run.FrameworkId, run.ExecutorId), run.Directory);
        }

        foreach (var task in _tasks.Values)
        {
            lock (task.Gate)
            {
                views.Add(new AgentTaskView(task.Launch, task.LatestStatus, task.ContainerId, DirectoryOf(task.Launch, executorDirs), queued.Contains(task.TaskId)));
            }
        }

        lock (_completed)
        {
            foreach (var task in _completed)
            {
                views.Add(new AgentTaskView(task.Launch, task.LatestStatus, task.LatestStatus.ContainerStatus?.ContainerId?.Value ?? string.Empty,
                    DirectoryOf(task.Launch, executorDirs), false));
            }
        }

        return views;
    }

    /// <summary>Custom executor runs, live first.</summary>
    public IReadOnlyList<AgentExecutorView> ExecutorViews()
    {
        if (_executors is not { } executors)
        {
            return [];
        }

        var (live, completed) = executors.Runs();
        return [.. live.Select(r => View(r, true)), .. completed.Select(r => View(r, false))];

        static AgentExecutorView View(ExecutorRun run, bool alive) => new(run.Info, run.FrameworkId, run.FrameworkName, run.ContainerId, run.Directory, alive);
    }

    /// <summary>The directories the files API may serve: every task sandbox and executor sandbox of this agent.</summary>
    public IReadOnlyList<string> SandboxRoots() =>
        [Path.Combine(_store.WorkDir, "sandboxes"), Path.Combine(_store.WorkDir, "executors")];

    private string? DirectoryOf(Protocol.LaunchTaskRequest launch, Dictionary<(string, string), string> executorDirs) =>
        launch.Executor is { } executor
            ? executorDirs.GetValueOrDefault((launch.FrameworkId, executor.ExecutorId))
            : _store.Sandbox(launch.TaskId);
}
