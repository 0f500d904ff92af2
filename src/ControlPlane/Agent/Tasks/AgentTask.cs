using System.Diagnostics;
using Minuet.ControlPlane.Agent.Cgroups;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Tasks;

/// <summary>
/// One task's live state on the agent. Every field is read and written under <see cref="Gate"/>; the
/// checkpoint is a snapshot taken under the same lock, so what is on disk always matches a real moment.
/// </summary>
internal sealed class AgentTask(LaunchTaskRequest launch, string containerId)
{
    public object Gate { get; } = new();

    public LaunchTaskRequest Launch { get; } = launch;

    public string TaskId => Launch.TaskId;

    public string ContainerId { get; } = containerId;

    public int? Pid { get; set; }

    public long? StartTime { get; set; }

    public double? StartedAt { get; set; }

    /// <summary>The .NET handle when this agent run started the process (it reaps it); null for re-adopted tasks.</summary>
    public Process? Child { get; set; }

    public bool KillRequested { get; set; }

    public string? KillReason { get; set; }

    public double? KillRequestedAt { get; set; }

    public double? KillGraceSeconds { get; set; }

    public string? NetnsName { get; set; }

    /// <summary>The container's IP (task network or Docker bridge/user network); null = the agent's address.</summary>
    public string? IpAddress { get; set; }

    /// <summary>True when the Docker containerizer runs this task.</summary>
    public bool IsDocker => Docker.DockerRunSpec.IsDocker(Launch);

    /// <summary>The Docker container's id once created (Docker tasks only).</summary>
    public string? DockerContainer { get; set; }

    /// <summary>The Docker network the container joined (user networks; reported as the network's name).</summary>
    public string? DockerNetwork { get; set; }

    public TaskCgroups Cgroups { get; set; } = TaskCgroups.None;

    public bool? Healthy { get; set; }

    public bool TerminalRecorded { get; set; }

    public TaskStatusUpdate? LatestStatus { get; set; }

    public List<TaskStatusUpdate> PendingUpdates { get; } = [];

    /// <summary>True while a status pump is sending this task's queue.</summary>
    public bool PumpRunning { get; set; }

    /// <summary>Stops this task's health checks and exit watcher when it ends or the runtime is disposed.</summary>
    public CancellationTokenSource Lifetime { get; } = new();

    public TaskState CurrentState => LatestStatus?.ParsedState ?? TaskState.Staging;

    public TaskCheckpoint ToCheckpoint() => new()
    {
        Launch = Launch,
        ContainerId = ContainerId,
        Pid = Pid,
        StartTime = StartTime,
        StartedAt = StartedAt,
        KillRequested = KillRequested,
        KillReason = KillReason,
        KillRequestedAt = KillRequestedAt,
        KillGraceSeconds = KillGraceSeconds,
        NetnsName = NetnsName,
        IpAddress = IpAddress,
        DockerContainer = DockerContainer,
        DockerNetwork = DockerNetwork,
        Healthy = Healthy,
        TerminalRecorded = TerminalRecorded,
        LatestStatus = LatestStatus,
        PendingUpdates = PendingUpdates.ToList(),
    };

    public static AgentTask FromCheckpoint(TaskCheckpoint checkpoint)
    {
        var task = new AgentTask(checkpoint.Launch, checkpoint.ContainerId)
        {
            Pid = checkpoint.Pid,
            StartTime = checkpoint.StartTime,
            StartedAt = checkpoint.StartedAt,
            KillRequested = checkpoint.KillRequested,
            KillReason = checkpoint.KillReason,
            KillRequestedAt = checkpoint.KillRequestedAt,
            KillGraceSeconds = checkpoint.KillGraceSeconds,
            NetnsName = checkpoint.NetnsName,
            IpAddress = checkpoint.IpAddress,
            DockerContainer = checkpoint.DockerContainer,
            DockerNetwork = checkpoint.DockerNetwork,
            Healthy = checkpoint.Healthy,
            TerminalRecorded = checkpoint.TerminalRecorded,
            LatestStatus = checkpoint.LatestStatus,
        };
        task.PendingUpdates.AddRange(checkpoint.PendingUpdates);
        return task;
    }
}
