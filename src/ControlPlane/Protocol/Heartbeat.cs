namespace Minuet.ControlPlane.Protocol;

/// <summary><c>POST /api/agent/{agentId}/heartbeat</c>, agent → master, every heartbeat interval.</summary>
internal sealed record HeartbeatRequest
{
    public required string AgentId { get; init; }

    /// <summary>Monotonic per agent run, so the master can log gaps.</summary>
    public long Sequence { get; init; }

    /// <summary>Seconds since the epoch, agent clock.</summary>
    public double Timestamp { get; init; }

    /// <summary>Non-terminal tasks and their current state, for implicit reconciliation on the master.</summary>
    public IReadOnlyList<TaskStateReport> Tasks { get; set; } = [];
}

/// <summary>A task id with its current Mesos state name.</summary>
internal sealed record TaskStateReport(string TaskId, string State);

/// <summary>
/// Answer to a heartbeat. An unknown agent gets HTTP 404 with code <c>unknown_agent</c> instead and must
/// re-register with its id and tasks.
/// </summary>
internal sealed record HeartbeatResponse
{
    public double HeartbeatIntervalSeconds { get; set; } = 5;

    /// <summary>The master's id; when it differs from the one the agent registered with, the agent re-registers.</summary>
    public string? MasterId { get; init; }

    /// <summary>
    /// True when the master knows the agent only from its store (it restarted) and wants the agent's task list
    /// again, as Mesos agents re-register after a master failover.
    /// </summary>
    public bool ReregisterRequired { get; init; }

    /// <summary>Tasks the master wants the agent to kill (e.g. it already reported them LOST to a framework).</summary>
    public IReadOnlyList<string> KillTaskIds { get; set; } = [];
}
