namespace Minuet.ControlPlane.Api.V1;

// scheduler::Call (include/mesos/v1/scheduler/scheduler.proto): {"type", "framework_id", "<lowercase type>": {...}}.

/// <summary>One scheduler call; the field named after <see cref="Type"/> carries its body.</summary>
internal sealed record V1Call
{
    public V1Id? FrameworkId { get; init; }

    public string? Type { get; init; }

    public V1Subscribe? Subscribe { get; init; }

    public V1Accept? Accept { get; init; }

    public V1Decline? Decline { get; init; }

    public V1Roles? Revive { get; init; }

    public V1Roles? Suppress { get; init; }

    public V1Kill? Kill { get; init; }

    public V1Shutdown? Shutdown { get; init; }

    public V1Acknowledge? Acknowledge { get; init; }

    public V1Reconcile? Reconcile { get; init; }

    public V1Message? Message { get; init; }

    public V1Request? Request { get; init; }
}

/// <summary>SUBSCRIBE.</summary>
internal sealed record V1Subscribe
{
    public V1FrameworkInfo? FrameworkInfo { get; init; }

    public IReadOnlyList<string>? SuppressedRoles { get; init; }
}

/// <summary>ACCEPT.</summary>
internal sealed record V1Accept
{
    public IReadOnlyList<V1Id>? OfferIds { get; init; }

    public IReadOnlyList<V1Operation>? Operations { get; init; }

    public V1Filters? Filters { get; init; }
}

/// <summary><c>Offer.Operation</c>.</summary>
internal sealed record V1Operation
{
    public string? Type { get; init; }

    public V1Id? Id { get; init; }

    public V1Launch? Launch { get; init; }

    public V1LaunchGroup? LaunchGroup { get; init; }

    public V1Reserve? Reserve { get; init; }

    public V1Reserve? Unreserve { get; init; }

    public System.Text.Json.JsonElement? Create { get; init; }

    public System.Text.Json.JsonElement? Destroy { get; init; }
}

/// <summary><c>Operation.LaunchGroup</c>: tasks run together by one executor (here: the DEFAULT executor).</summary>
internal sealed record V1LaunchGroup
{
    public V1ExecutorInfo? Executor { get; init; }

    public V1TaskGroup? TaskGroup { get; init; }
}

/// <summary><c>TaskGroupInfo</c>.</summary>
internal sealed record V1TaskGroup(IReadOnlyList<V1TaskInfo>? Tasks);

/// <summary><c>Operation.Launch</c>.</summary>
internal sealed record V1Launch(IReadOnlyList<V1TaskInfo>? TaskInfos);

/// <summary><c>Operation.Reserve</c> / <c>Unreserve</c>.</summary>
internal sealed record V1Reserve(IReadOnlyList<V1Resource>? Resources);

/// <summary>DECLINE.</summary>
internal sealed record V1Decline
{
    public IReadOnlyList<V1Id>? OfferIds { get; init; }

    public V1Filters? Filters { get; init; }
}

/// <summary>REVIVE and SUPPRESS: an empty list means every role of the framework.</summary>
internal sealed record V1Roles(IReadOnlyList<string>? Roles);

/// <summary>KILL.</summary>
internal sealed record V1Kill
{
    public V1Id? TaskId { get; init; }

    public V1Id? AgentId { get; init; }

    public V1KillPolicy? KillPolicy { get; init; }
}

/// <summary>SHUTDOWN: an executor on an agent.</summary>
internal sealed record V1Shutdown
{
    public V1Id? ExecutorId { get; init; }

    public V1Id? AgentId { get; init; }
}

/// <summary>ACKNOWLEDGE.</summary>
internal sealed record V1Acknowledge
{
    public V1Id? AgentId { get; init; }

    public V1Id? TaskId { get; init; }

    public string? Uuid { get; init; }
}

/// <summary>RECONCILE.</summary>
internal sealed record V1Reconcile(IReadOnlyList<V1ReconcileTask>? Tasks);

/// <summary>One task of RECONCILE.</summary>
internal sealed record V1ReconcileTask
{
    public V1Id? TaskId { get; init; }

    public V1Id? AgentId { get; init; }
}

/// <summary>MESSAGE (framework → executor; also the MESSAGE event's shape).</summary>
internal sealed record V1Message
{
    public V1Id? AgentId { get; init; }

    public V1Id? ExecutorId { get; init; }

    public string? Data { get; init; }
}

/// <summary>REQUEST.</summary>
internal sealed record V1Request(IReadOnlyList<V1ResourceRequest>? Requests);

/// <summary><c>Request</c>: resources wanted, optionally on one agent.</summary>
internal sealed record V1ResourceRequest
{
    public V1Id? AgentId { get; init; }

    public IReadOnlyList<V1Resource>? Resources { get; init; }
}
