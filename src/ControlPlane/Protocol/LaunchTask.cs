namespace Minuet.ControlPlane.Protocol;

/// <summary>
/// <c>POST /api/v1/tasks</c> on the agent, master → agent. Answered 202 (the agent then reports STARTING,
/// RUNNING ... as status updates), 409 <c>duplicate_task</c> if the id is already known (treat as launched),
/// 422 with field errors if invalid.
/// </summary>
internal sealed record LaunchTaskRequest
{
    public required string TaskId { get; init; }

    public required string Name { get; init; }

    public required string FrameworkId { get; init; }

    public string? FrameworkName { get; init; }

    /// <summary>The agent the master meant; a mismatch is rejected so a task never lands on the wrong agent.</summary>
    public required string AgentId { get; init; }

    public required CommandInfo Command { get; init; }

    /// <summary>What the task holds, with <c>ports</c> the exact host ports assigned (PORT0..n in order).</summary>
    public required ResourceSet Resources { get; init; }

    /// <summary>Role the resources were allocated from (<c>*</c> when unreserved).</summary>
    public string Role { get; set; } = "*";

    public IReadOnlyList<Label> Labels { get; set; } = [];

    public DiscoveryInfo? Discovery { get; init; }

    public HealthCheck? HealthCheck { get; init; }

    /// <summary>Container network request; null or empty network_infos = host network.</summary>
    public ContainerInfo? Container { get; init; }

    /// <summary>A custom executor to run the task; null = a command task the agent runs itself.</summary>
    public ExecutorInfo? Executor { get; init; }

    /// <summary>
    /// The DEFAULT executor of the task group (LAUNCH_GROUP) the task is part of: its updates name it as their
    /// executor, and when one task of the group fails or is killed the master kills the others (the default
    /// executor's rule). Null for tasks outside a group; the agent runs group tasks as command tasks.
    /// </summary>
    public string? TaskGroupExecutorId { get; init; }

    /// <summary>Opaque bytes for the executor (Mesos <c>TaskInfo.data</c>, base64 in JSON).</summary>
    public string? Data { get; init; }

    /// <summary>Seconds between SIGTERM and SIGKILL when the task is killed (Marathon taskKillGracePeriodSeconds); agent default 3 s when null.</summary>
    public double? KillGracePeriodSeconds { get; init; }
}

/// <summary>Mesos CommandInfo: a shell string (<c>/bin/sh -c value</c>) or an executable with argv, plus environment.</summary>
internal sealed record CommandInfo
{
    /// <summary>True (default): <see cref="Value"/> runs through <c>/bin/sh -c</c>. False: <see cref="Value"/> is the program.</summary>
    public bool Shell { get; set; } = true;

    public string? Value { get; init; }

    /// <summary>For <c>shell: false</c>: argv; argv[0] is the program when <see cref="Value"/> is empty (Marathon <c>args</c>).</summary>
    public IReadOnlyList<string> Arguments { get; set; } = [];

    /// <summary>The task's own environment; it overrides agent-provided PORT*/HOST, but not MESOS_*.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; set; } = new Dictionary<string, string>();

    /// <summary>Not supported yet (tasks run as the agent's user); non-null values are rejected.</summary>
    public string? User { get; init; }
}

/// <summary><c>POST /api/v1/tasks/{taskId}/kill</c> on the agent. Answered 202 (then KILLING and KILLED updates) or 404 <c>unknown_task</c>.</summary>
internal sealed record KillTaskRequest
{
    public required string TaskId { get; init; }

    /// <summary>Overrides the launch's grace period when set.</summary>
    public double? GracePeriodSeconds { get; init; }
}
