namespace Minuet.ControlPlane.Protocol;

/// <summary>The HTTP routes of the master&lt;-&gt;agent protocol (see README.md in this folder).</summary>
internal static class ProtocolRoutes
{
    /// <summary>Master: POST <see cref="RegisterAgentRequest"/> → 200 <see cref="RegisterAgentResponse"/>.</summary>
    public const string Register = "/api/agent/register";

    /// <summary>Master: POST <see cref="HeartbeatRequest"/> → 200 <see cref="HeartbeatResponse"/> or 404 unknown_agent.</summary>
    public const string HeartbeatTemplate = "/api/agent/{agentId}/heartbeat";

    /// <summary>Master: POST <see cref="TaskStatusUpdate"/> → 200 <see cref="StatusAcknowledgement"/> or 404 unknown_agent.</summary>
    public const string StatusTemplate = "/api/agent/{agentId}/status";

    /// <summary>Master: POST <see cref="FrameworkMessage"/> from an executor → 202 (dropped if the framework is not subscribed) or 404 unknown_agent.</summary>
    public const string ExecutorMessageTemplate = "/api/agent/{agentId}/message";

    /// <summary>Agent: POST <see cref="FrameworkMessage"/> for an executor → 202 (dropped if the executor is not subscribed).</summary>
    public const string FrameworkMessageToExecutor = "/api/v1/executors/message";

    /// <summary>Agent: POST <see cref="LaunchTaskRequest"/> → 202, 409 duplicate_task, 422 invalid.</summary>
    public const string LaunchTask = "/api/v1/tasks";

    /// <summary>Agent: POST <see cref="KillTaskRequest"/> → 202 or 404 unknown_task.</summary>
    public const string KillTaskTemplate = "/api/v1/tasks/{taskId}/kill";

    /// <summary>Agent: GET → 200 <see cref="AgentStateResponse"/> (debugging, tests).</summary>
    public const string AgentState = "/api/v1/state";

    public static string Heartbeat(string agentId) => $"/api/agent/{Uri.EscapeDataString(agentId)}/heartbeat";

    public static string Status(string agentId) => $"/api/agent/{Uri.EscapeDataString(agentId)}/status";

    public static string ExecutorMessage(string agentId) => $"/api/agent/{Uri.EscapeDataString(agentId)}/message";

    public static string KillTask(string taskId) => $"/api/v1/tasks/{Uri.EscapeDataString(taskId)}/kill";
}

/// <summary>The agent's own view: its id and every task it knows with the latest status.</summary>
internal sealed record AgentStateResponse
{
    public string? AgentId { get; init; }

    public required string Hostname { get; init; }

    public IReadOnlyList<ReportedTask> Tasks { get; set; } = [];

    /// <summary>The agent's settings that matter to operators, Mesos style: <c>{"isolation":"cgroups/cpu,cgroups/mem"}</c>.</summary>
    public IReadOnlyDictionary<string, string>? Flags { get; init; }

    /// <summary>Whether tasks get cpu/memory limits here, and if not why (no root, no cgroup v1, --no-cgroups).</summary>
    public ResourceIsolation? ResourceLimits { get; init; }

    /// <summary>The Docker containerizer's state; null when the agent was started without one.</summary>
    public DockerContainerizerState? Docker { get; init; }
}

/// <summary>What limits tasks on an agent: Mesos's isolation name, whether limits hold, and why not.</summary>
internal sealed record ResourceIsolation(string Isolation, bool Enforced, string? Reason);

/// <summary>The agent's Docker containerizer: on or off, whether its daemon answers, and why not.</summary>
internal sealed record DockerContainerizerState(bool Enabled, bool Available, string Socket, string? Version, string? Reason);
