using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Executors;

/// <summary>
/// What a restarted agent needs to reconnect to a custom executor that outlived it (Mesos checkpoints the same under
/// <c>meta/slaves/.../executors/&lt;id&gt;/runs/&lt;container&gt;</c>): who it is, where its sandbox is, and its process
/// identity (pid + <c>/proc</c> start time, so a reused pid is never mistaken for it).
/// </summary>
internal sealed record ExecutorCheckpoint
{
    public required ExecutorInfo Info { get; init; }

    public required string FrameworkId { get; init; }

    public string? FrameworkName { get; init; }

    public required string AgentId { get; init; }

    public required string ContainerId { get; init; }

    public required string Directory { get; init; }

    public int? Pid { get; init; }

    public long? StartTime { get; init; }
}
