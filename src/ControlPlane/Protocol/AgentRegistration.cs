namespace Minuet.ControlPlane.Protocol;

/// <summary>
/// <c>POST /api/agent/register</c>, agent → master. Without <see cref="AgentId"/> it registers a new agent; with it,
/// it re-registers (after a master or agent restart) and lists the tasks it still runs.
/// </summary>
internal sealed record RegisterAgentRequest
{
    /// <summary>Null on first registration; the id the master gave before, on re-registration.</summary>
    public string? AgentId { get; init; }

    public required string Hostname { get; init; }

    /// <summary>IP literal the agent is reached at (becomes <c>slave(1)@address:port</c>); never a hostname.</summary>
    public required string Address { get; init; }

    /// <summary>The agent's own HTTP port (launch/kill go to <c>http://address:port</c>).</summary>
    public int Port { get; set; } = 5051;

    /// <summary>Unreserved resources (role <c>*</c>).</summary>
    public required ResourceSet Resources { get; init; }

    /// <summary>Static reservations from <c>--resources "cpus(role):2"</c>, keyed by role.</summary>
    public IReadOnlyDictionary<string, ResourceSet> ReservedResources { get; set; } = new Dictionary<string, ResourceSet>();

    /// <summary>From <c>--attributes "rack:r1;zone:a"</c>; the master prints numbers as numbers.</summary>
    public IReadOnlyDictionary<string, string> Attributes { get; set; } = new Dictionary<string, string>();

    /// <summary>Tasks the agent runs (non-terminal) or has not yet had a terminal update acknowledged for.</summary>
    public IReadOnlyList<ReportedTask> Tasks { get; set; } = [];

    public string Version { get; set; } = "0.1.0";
}

/// <summary>A task an agent reports when re-registering: the launch it got plus the latest state it knows.</summary>
internal sealed record ReportedTask
{
    public required LaunchTaskRequest Launch { get; init; }

    public required TaskStatusUpdate LatestStatus { get; init; }
}

/// <summary>Answer to a (re-)registration.</summary>
internal sealed record RegisterAgentResponse
{
    /// <summary><c>&lt;masterId&gt;-S&lt;n&gt;</c>; on re-registration the same id, unless the master removed the agent.</summary>
    public required string AgentId { get; init; }

    public required string MasterId { get; init; }

    /// <summary>How often the agent must heartbeat; silence for ping timeout × max timeouts makes it unreachable.</summary>
    public double HeartbeatIntervalSeconds { get; set; } = 5;

    /// <summary>Reported tasks the master does not want running (unknown, already terminal there, or of a removed framework).</summary>
    public IReadOnlyList<string> KillTaskIds { get; set; } = [];
}
