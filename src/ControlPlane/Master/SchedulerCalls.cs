using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Master;

/// <summary>SUBSCRIBE: a new framework (no id) or a returning one (its id).</summary>
internal sealed record SubscribeRequest
{
    public string? FrameworkId { get; init; }

    public string? Name { get; init; }

    public string Role { get; set; } = "*";

    public string? Principal { get; init; }

    public string User { get; set; } = "root";

    public string? Hostname { get; init; }

    public string? WebuiUrl { get; init; }

    /// <summary>Seconds the master keeps a disconnected framework's tasks (recorded; teardown is explicit here).</summary>
    public double FailoverTimeout { get; set; } = 604800;

    public bool Checkpoint { get; set; } = true;
}

/// <summary>Decline filters (Mesos <c>Filters.refuse_seconds</c>, default 5 s).</summary>
internal sealed record OfferFilters(double? RefuseSeconds);

/// <summary>ACCEPT: launch tasks on the resources of one or more offers of one agent; the rest is returned.</summary>
internal sealed record AcceptRequest
{
    public string? FrameworkId { get; init; }

    public IReadOnlyList<string> OfferIds { get; init; } = [];

    public IReadOnlyList<TaskSpec> Tasks { get; init; } = [];

    public OfferFilters? Filters { get; init; }
}

/// <summary>A task to launch, as a framework describes it (the master fills in framework and agent).</summary>
internal sealed record TaskSpec
{
    public string? TaskId { get; init; }

    public string? Name { get; init; }

    public TaskCommand? Command { get; init; }

    /// <summary>What the task needs; <c>ports</c> must name the exact offered host ports it takes.</summary>
    public ResourceSet? Resources { get; init; }

    public IReadOnlyList<Label> Labels { get; init; } = [];

    public DiscoveryInfo? Discovery { get; init; }

    public HealthCheck? HealthCheck { get; init; }

    public ContainerInfo? Container { get; init; }

    /// <summary>Copied to the agent's launch as is (see <see cref="ExecutorInfo"/>).</summary>
    public ExecutorInfo? Executor { get; init; }

    /// <summary>Copied to the agent's launch (see <see cref="LaunchTaskRequest.TaskGroupExecutorId"/>).</summary>
    public string? TaskGroupExecutorId { get; init; }

    public string? Data { get; init; }

    public double? KillGracePeriodSeconds { get; init; }
}

/// <summary>
/// The command of a <see cref="TaskSpec"/>. Its own type (not the agent protocol's CommandInfo) so that an absent
/// <c>shell</c> means true: System.Text.Json's source generator resets init-only properties with initializers to
/// their default when the field is missing.
/// </summary>
internal sealed record TaskCommand
{
    public bool? Shell { get; init; }

    public string? Value { get; init; }

    public IReadOnlyList<string>? Arguments { get; init; }

    public IReadOnlyDictionary<string, string>? Environment { get; init; }

    public string? User { get; init; }

    public CommandInfo ToCommandInfo() => new()
    {
        Shell = Shell ?? true,
        Value = Value,
        Arguments = Arguments ?? [],
        Environment = Environment ?? new Dictionary<string, string>(),
        User = User,
    };
}

/// <summary>DECLINE: return offers, optionally refusing them for a while.</summary>
internal sealed record DeclineRequest
{
    public string? FrameworkId { get; init; }

    public IReadOnlyList<string> OfferIds { get; init; } = [];

    public OfferFilters? Filters { get; init; }
}

/// <summary>KILL: a task of this framework.</summary>
internal sealed record KillRequest
{
    public string? FrameworkId { get; init; }

    public string? TaskId { get; init; }

    public double? GracePeriodSeconds { get; init; }
}

/// <summary>ACKNOWLEDGE: the framework has handled the update with this uuid.</summary>
internal sealed record AcknowledgeRequest
{
    public string? FrameworkId { get; init; }

    public string? TaskId { get; init; }

    public string? AgentId { get; init; }

    public string? Uuid { get; init; }
}

/// <summary>RECONCILE: the listed tasks (explicit) or, with an empty list, every task of the framework (implicit).</summary>
internal sealed record ReconcileRequest
{
    public string? FrameworkId { get; init; }

    public IReadOnlyList<ReconcileTask> Tasks { get; init; } = [];
}

/// <summary>One task to reconcile.</summary>
internal sealed record ReconcileTask(string TaskId, string? AgentId = null);

/// <summary>SUPPRESS, REVIVE and TEARDOWN carry only the framework id.</summary>
internal sealed record FrameworkCall
{
    public string? FrameworkId { get; init; }
}

/// <summary>Operator RESERVE / UNRESERVE: resources on an agent for a role.</summary>
internal sealed record ReservationRequest
{
    public string? AgentId { get; init; }

    public string? Role { get; init; }

    public ResourceSet? Resources { get; init; }
}

/// <summary>Operator weight and quota for a role.</summary>
internal sealed record RoleConfigRequest
{
    public string? Role { get; init; }

    public double? Weight { get; init; }

    public ResourceSet? QuotaGuarantee { get; init; }

    public ResourceSet? QuotaLimit { get; init; }
}
