using System.Diagnostics;
using System.Threading.Channels;
using Minuet.ControlPlane.Agent.Tasks;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Executors;

/// <summary>Where an executor stands (Mesos's <c>Executor::State</c>).</summary>
internal enum ExecutorPhase
{
    /// <summary>Started, not subscribed yet: its tasks wait in <see cref="ExecutorRun.Queued"/>.</summary>
    Registering,

    /// <summary>Subscribed: tasks go to it as LAUNCH events.</summary>
    Running,

    /// <summary>Its process ended (or is being killed): its live tasks fail.</summary>
    Terminated,
}

/// <summary>
/// One run of a custom executor: the process the agent started for a (framework, executor id), its sandbox, its
/// tasks and, once it subscribed, the event stream it reads. Every field is guarded by <see cref="Gate"/>.
/// </summary>
internal sealed class ExecutorRun(ExecutorInfo info, string frameworkId, string? frameworkName, string agentId, string containerId, string directory)
{
    public object Gate { get; } = new();

    public ExecutorInfo Info { get; } = info;

    public string FrameworkId { get; } = frameworkId;

    public string? FrameworkName { get; } = frameworkName;

    public string AgentId { get; } = agentId;

    public string ExecutorId => Info.ExecutorId;

    /// <summary>Mesos's container id of the run; the sandbox is <c>.../runs/&lt;container id&gt;</c>.</summary>
    public string ContainerId { get; } = containerId;

    /// <summary>The sandbox (Mesos's <c>MESOS_DIRECTORY</c>).</summary>
    public string Directory { get; } = directory;

    public ExecutorPhase Phase { get; set; } = ExecutorPhase.Registering;

    public Process? Process { get; set; }

    public int? Pid { get; set; }

    public long? StartTime { get; set; }

    /// <summary>Recovered after an agent restart and not subscribed again yet: it must re-subscribe within the re-registration timeout.</summary>
    public bool Recovered { get; set; }

    /// <summary>Why the agent ended the executor (registration timeout, shutdown); null if it exited by itself.</summary>
    public string? TerminationReason { get; set; }

    /// <summary>Tasks of this run that are not terminal yet, by id.</summary>
    public Dictionary<string, AgentTask> Tasks { get; } = new(StringComparer.Ordinal);

    /// <summary>Tasks launched before the executor subscribed; sent as LAUNCH right after SUBSCRIBED.</summary>
    public List<AgentTask> Queued { get; } = [];

    /// <summary>The open SUBSCRIBE stream's events (RecordIO payloads); null while none is open.</summary>
    public Channel<byte[]>? Events { get; set; }

    /// <summary>Update uuids already taken (an executor resends unacknowledged updates when it subscribes again).</summary>
    public HashSet<string> SeenUuids { get; } = new(StringComparer.Ordinal);

    public ExecutorCheckpoint ToCheckpoint() => new()
    {
        Info = Info,
        FrameworkId = FrameworkId,
        FrameworkName = FrameworkName,
        AgentId = AgentId,
        ContainerId = ContainerId,
        Directory = Directory,
        Pid = Pid,
        StartTime = StartTime,
    };

    public static ExecutorRun FromCheckpoint(ExecutorCheckpoint checkpoint) =>
        new(checkpoint.Info, checkpoint.FrameworkId, checkpoint.FrameworkName, checkpoint.AgentId, checkpoint.ContainerId, checkpoint.Directory)
        {
            Pid = checkpoint.Pid,
            StartTime = checkpoint.StartTime,
            Recovered = true,
        };

    /// <summary>Queues an event on the open stream; false when none is open.</summary>
    public bool Send(byte[] payload) => Events is { } events && events.Writer.TryWrite(payload);
}
