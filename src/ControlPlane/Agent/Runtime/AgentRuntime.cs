using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Minuet.ControlPlane.Agent.Cgroups;
using Minuet.ControlPlane.Agent.Docker;
using Minuet.ControlPlane.Agent.Network;
using Minuet.ControlPlane.Agent.Status;
using Minuet.ControlPlane.Agent.Tasks;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Runtime;

/// <summary>
/// Runs tasks as process groups on this machine and reports their lives as status updates. It is the agent
/// minus the network edges: launches and kills come in as calls, updates go out through an
/// <see cref="IStatusUpdateSink"/>. Disposing it stops watching but leaves task processes running; a new
/// runtime on the same work dir re-adopts them from their checkpoints (<see cref="RecoverAsync"/>).
/// </summary>
internal sealed partial class AgentRuntime : IAsyncDisposable
{
    private const int CompletedKept = 200;
    private readonly AgentRuntimeOptions _options;
    private readonly IStatusUpdateSink _sink;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private readonly CheckpointStore _store;
    private readonly CgroupV1? _cgroups;
    private readonly TaskNetwork? _network;
    private readonly DockerContainerizer? _docker;
    private readonly string _setsid;
    private readonly ConcurrentDictionary<string, AgentTask> _tasks = new(StringComparer.Ordinal);
    private readonly LinkedList<ReportedTask> _completed = new();
    private readonly ConcurrentDictionary<Task, byte> _background = new();
    private readonly CancellationTokenSource _stopping = new();

    private AgentRuntime(AgentRuntimeOptions options, IStatusUpdateSink sink, ILogger logger, TimeProvider time,
        CgroupV1? cgroups, TaskNetwork? network, string setsid)
    {
        _options = options;
        _sink = sink;
        _logger = logger;
        _time = time;
        _store = new CheckpointStore(options.WorkDir);
        _cgroups = cgroups;
        _network = network;
        _setsid = setsid;
        _docker = options.Docker is { } docker ? new DockerContainerizer(docker, logger) : null;
    }

    /// <summary>The id the master gave this agent; launches for another id are refused.</summary>
    public string? AgentId { get; set; }

    public CheckpointStore Store => _store;

    public AgentRuntimeOptions Options => _options;

    /// <summary>Which cgroup v1 controllers limit tasks here (for logs and tests).</summary>
    public (bool Cpu, bool Memory) CgroupsInUse => (_cgroups?.CpuAvailable ?? false, _cgroups?.MemoryAvailable ?? false);

    /// <summary>What limits tasks here, as the agent's <c>/state</c> shows it (Mesos's <c>flags.isolation</c>).</summary>
    public ResourceIsolation Isolation => _cgroups is null
        ? new ResourceIsolation("posix/cpu,posix/mem", false, "cgroups are off (--no-cgroups)")
        : new ResourceIsolation(_cgroups.Isolation, _cgroups.CpuAvailable && _cgroups.MemoryAvailable, _cgroups.UnavailableReason);

    /// <summary>The Docker containerizer's state for <c>/api/v1/state</c>; null when the agent has none.</summary>
    public DockerContainerizerState? DockerState => _docker?.State();

    /// <summary>Which containerizers run here (Mesos's <c>flags.containerizers</c>).</summary>
    public string Containerizers => string.Join(',',
        new[] { _options.MesosContainerizer ? "mesos" : null, _docker?.Enabled == true ? "docker" : null }.Where(c => c is not null));

    /// <summary>Builds a runtime; the error names the option that cannot work on this machine.</summary>
    public static (AgentRuntime? Runtime, string? Error) Create(AgentRuntimeOptions options, IStatusUpdateSink sink,
        ILoggerFactory? loggerFactory = null, TimeProvider? time = null)
    {
        var factory = loggerFactory ?? NullLoggerFactory.Instance;
        var logger = factory.CreateLogger("Minuet.Agent");
        var setsid = ToolRunner.Find("setsid");
        if (setsid is null)
        {
            return (null, "the agent needs 'setsid' (util-linux) on PATH to give each task its own process group");
        }

        try
        {
            Directory.CreateDirectory(options.WorkDir);
        }
        catch (IOException e)
        {
            return (null, $"--work-dir '{options.WorkDir}': {e.Message}");
        }
        catch (UnauthorizedAccessException e)
        {
            return (null, $"--work-dir '{options.WorkDir}': {e.Message}");
        }

        TaskNetwork? network = null;
        if (options.TaskNetwork is { } networkOptions)
        {
            (network, var error) = TaskNetwork.Create(networkOptions, logger);
            if (network is null)
            {
                return (null, error);
            }
        }

        var cgroups = options.CgroupRoot is null ? null : new CgroupV1(options.CgroupRoot, options.CgroupParent);
        var runtime = new AgentRuntime(options, sink, logger, time ?? TimeProvider.System, cgroups, network, setsid);
        if (cgroups is { CpuAvailable: false, MemoryAvailable: false, UnavailableReason: { } why })
        {
            LogRunningUnlimited(logger, why);
        }
        else
        {
            LogCgroups(logger, cgroups?.CpuAvailable ?? false, cgroups?.MemoryAvailable ?? false);
        }
        return (runtime, null);
    }

    /// <summary>Every task the agent runs or still owes an acknowledged terminal update for (for re-registration).</summary>
    public IReadOnlyList<ReportedTask> ReportTasks()
    {
        var list = new List<ReportedTask>();
        foreach (var task in _tasks.Values)
        {
            lock (task.Gate)
            {
                if (task.LatestStatus is { } status)
                {
                    list.Add(new ReportedTask { Launch = task.Launch, LatestStatus = status });
                }
            }
        }

        return list;
    }

    /// <summary>Current state of every non-terminal task (heartbeat body).</summary>
    public IReadOnlyList<TaskStateReport> ActiveStates() =>
        ReportTasks().Where(t => !t.LatestStatus.ParsedState.IsTerminal())
            .Select(t => new TaskStateReport(t.Launch.TaskId, t.LatestStatus.State)).ToList();

    /// <summary>Live and recently completed tasks with their latest status (the agent's <c>/api/v1/state</c>).</summary>
    public IReadOnlyList<ReportedTask> AllTasks()
    {
        var list = ReportTasks().ToList();
        lock (_completed)
        {
            list.AddRange(_completed);
        }

        return list;
    }

    /// <summary>The latest status of a task, live or recently completed; null when unknown.</summary>
    public TaskStatusUpdate? LatestStatus(string taskId)
    {
        if (_tasks.TryGetValue(taskId, out var task))
        {
            lock (task.Gate)
            {
                return task.LatestStatus;
            }
        }

        lock (_completed)
        {
            return _completed.FirstOrDefault(t => t.Launch.TaskId == taskId)?.LatestStatus;
        }
    }

    /// <summary>The pid (process-group leader) of a running task, for tests and diagnostics.</summary>
    public int? TaskPid(string taskId)
    {
        if (_tasks.TryGetValue(taskId, out var task))
        {
            lock (task.Gate)
            {
                return task.Pid;
            }
        }

        return null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stopping.IsCancellationRequested)
        {
            return;
        }

        if (_executors is { } executors)
        {
            await executors.ShutdownAllAsync().ConfigureAwait(false);
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        foreach (var task in _tasks.Values)
        {
            await task.Lifetime.CancelAsync().ConfigureAwait(false);
        }

        try
        {
            await Task.WhenAll(_background.Keys).WaitAsync(TimeSpan.FromSeconds(15)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            LogSlowStop(_logger);
        }
        catch (OperationCanceledException)
        {
        }

        foreach (var task in _tasks.Values)
        {
            task.Child?.Dispose();
            task.Lifetime.Dispose();
        }

        _stopping.Dispose();
        _docker?.Dispose();
    }

    private double Now() => _time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    /// <summary>Keeps a background task so disposal can wait for it; faults are logged, never lost.</summary>
    private void Track(Func<Task> work)
    {
        var task = Task.Run(async () =>
        {
            try
            {
                await work().ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Stopping (the runtime or the task's lifetime): nothing to report.
            }
#pragma warning disable CA1031 // A background failure must be logged, not crash the agent.
            catch (Exception e)
#pragma warning restore CA1031
            {
                LogBackgroundFailure(_logger, e);
            }
        });
        _background.TryAdd(task, 0);
        task.ContinueWith(t => _background.TryRemove(t, out _), CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    private void Remember(ReportedTask task)
    {
        lock (_completed)
        {
            _completed.AddFirst(task);
            while (_completed.Count > CompletedKept)
            {
                _completed.RemoveLast();
            }
        }
    }
}
