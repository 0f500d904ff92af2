namespace Minuet.ControlPlane.Api.V1;

// scheduler::Event (include/mesos/v1/scheduler/scheduler.proto): {"type", "<lowercase type>": {...}}.

/// <summary>One event on a SUBSCRIBE stream.</summary>
internal sealed record V1Event
{
    public required string Type { get; init; }

    public V1Subscribed? Subscribed { get; init; }

    public V1Offers? Offers { get; init; }

    public V1Rescind? Rescind { get; init; }

    public V1Update? Update { get; init; }

    public V1Message? Message { get; init; }

    public V1Failure? Failure { get; init; }

    public V1Error? Error { get; init; }
}

/// <summary>SUBSCRIBED.</summary>
internal sealed record V1Subscribed
{
    public V1Id? FrameworkId { get; init; }

    public double? HeartbeatIntervalSeconds { get; init; }

    public V1MasterInfo? MasterInfo { get; init; }
}

/// <summary>OFFERS.</summary>
internal sealed record V1Offers(IReadOnlyList<V1Offer>? Offers);

/// <summary>RESCIND.</summary>
internal sealed record V1Rescind(V1Id? OfferId);

/// <summary>UPDATE.</summary>
internal sealed record V1Update(V1TaskStatus? Status);

/// <summary>FAILURE: an agent (only <c>agent_id</c>) or an executor (with its exit <c>status</c>) is gone.</summary>
internal sealed record V1Failure
{
    public V1Id? AgentId { get; init; }

    public V1Id? ExecutorId { get; init; }

    public int? Status { get; init; }
}

/// <summary>ERROR: the master drops the framework (for example after it was removed or failed over).</summary>
internal sealed record V1Error(string? Message);
