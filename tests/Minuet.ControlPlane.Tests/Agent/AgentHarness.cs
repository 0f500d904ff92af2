using Minuet.ControlPlane.Agent.Network;
using Minuet.ControlPlane.Agent.Processes;
using Minuet.ControlPlane.Agent.Runtime;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Tests.Agent;

/// <summary>
/// A task runtime on a fresh work dir with a recording sink. Disposal kills every process group the tests
/// started (by pid, never by name), then removes the work dir.
/// </summary>
internal sealed class AgentHarness : IAsyncDisposable
{
    public const string AgentId = "test-master-S0";
    private readonly HashSet<int> _pids = [];

    private readonly string? _cgroupRoot;
    private readonly Microsoft.Extensions.Logging.ILoggerFactory? _loggers;

    /// <param name="cgroupRoot">A cgroup root other than /sys/fs/cgroup (a fake or unwritable one); implies cgroups.</param>
    public AgentHarness(TaskNetworkOptions? network = null, bool cgroups = false, string? cgroupRoot = null, Microsoft.Extensions.Logging.ILoggerFactory? loggers = null,
        Minuet.ControlPlane.Agent.Docker.DockerOptions? docker = null)
    {
        Docker = docker;
        WorkDir = Path.Combine(Path.GetTempPath(), "minuet-agent-test-" + Guid.NewGuid().ToString("N")[..12]);
        Network = network;
        Cgroups = cgroups || cgroupRoot is not null;
        _cgroupRoot = cgroupRoot;
        _loggers = loggers;
        Runtime = NewRuntime();
    }

    public string WorkDir { get; }

    /// <summary>The Docker containerizer's settings; null = none.</summary>
    public Minuet.ControlPlane.Agent.Docker.DockerOptions? Docker { get; }

    public TaskNetworkOptions? Network { get; }

    public bool Cgroups { get; }

    public RecordingSink Sink { get; private set; } = new();

    /// <summary>Applies to runtimes made from now on (restarts); null = the default.</summary>
    public TimeSpan? ExecutorReregistrationTimeout { get; set; }

    public AgentRuntime Runtime { get; private set; }

    /// <summary>Simulates an agent restart: the old runtime stops watching (processes keep running), a new one recovers.</summary>
    public async Task<int> RestartAsync(RecordingSink? sink = null)
    {
        RememberPids();
        await Runtime.DisposeAsync();
        Sink = sink ?? new RecordingSink();
        Runtime = NewRuntime();
        return await Runtime.RecoverAsync();
    }

    public static LaunchTaskRequest Shell(string command, double? grace = null, HealthCheck? check = null,
        IReadOnlyList<PortRange>? ports = null, IReadOnlyDictionary<string, string>? env = null) => new()
        {
            TaskId = "t-" + Guid.NewGuid().ToString("N")[..10],
            Name = "test",
            FrameworkId = "fw-1",
            AgentId = AgentId,
            Command = new CommandInfo { Value = command, Environment = env ?? new Dictionary<string, string>() },
            Resources = new ResourceSet { Cpus = 0.5, Mem = 64, Ports = ports ?? [] },
            KillGracePeriodSeconds = grace,
            HealthCheck = check,
        };

    public string ReadStdout(string taskId) => File.ReadAllText(Path.Combine(Runtime.Store.Sandbox(taskId), "stdout"));

    /// <summary>Waits until the runtime has a pid for the task (it started).</summary>
    public async Task<int> WaitForPidAsync(string taskId)
    {
        for (int i = 0; i < 400; i++)
        {
            if (Runtime.TaskPid(taskId) is { } pid)
            {
                lock (_pids)
                {
                    _pids.Add(pid);
                }

                return pid;
            }

            await Task.Delay(25);
        }

        throw new TimeoutException($"task {taskId} never started");
    }

    public async ValueTask DisposeAsync()
    {
        RememberPids();
        await Runtime.DisposeAsync();
        lock (_pids)
        {
            foreach (int pid in _pids)
            {
                AgentInterop.Kill(-pid, AgentInterop.SIGKILL);
            }
        }

        try
        {
            Directory.Delete(WorkDir, recursive: true);
        }
        catch (IOException)
        {
        }
    }

    private void RememberPids()
    {
        lock (_pids)
        {
            foreach (var task in Runtime.ReportTasks())
            {
                if (Runtime.TaskPid(task.Launch.TaskId) is { } pid)
                {
                    _pids.Add(pid);
                }
            }
        }
    }

    private AgentRuntime NewRuntime()
    {
        var (runtime, error) = AgentRuntime.Create(new AgentRuntimeOptions
        {
            WorkDir = WorkDir,
            Hostname = "agent-test",
            Address = "127.0.0.1",
            CgroupRoot = Cgroups ? _cgroupRoot ?? "/sys/fs/cgroup" : null,
            CgroupParent = "minuet-test",
            DefaultKillGrace = TimeSpan.FromSeconds(2),
            AdoptedPollInterval = TimeSpan.FromMilliseconds(50),
            StatusRetryInitial = TimeSpan.FromMilliseconds(20),
            StatusRetryMax = TimeSpan.FromMilliseconds(200),
            TaskNetwork = Network,
            Docker = Docker,
            ExecutorReregistrationTimeout = ExecutorReregistrationTimeout ?? TimeSpan.FromSeconds(10),
        }, Sink, _loggers);
        Assert.True(runtime is not null, error);
        runtime!.AgentId = AgentId;
        return runtime;
    }
}
