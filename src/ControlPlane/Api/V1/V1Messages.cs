using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Api.V1;

// Mesos's v1 messages (include/mesos/v1/mesos.proto) in protobuf's JSON mapping: field names are the proto's
// snake_case names, ids are {"value"}, enums are their names, bytes are base64. Unset fields are null and left out.

/// <summary>Every Mesos id (<c>FrameworkID</c>, <c>OfferID</c>, <c>AgentID</c>, <c>TaskID</c>, <c>ExecutorID</c>).</summary>
internal sealed record V1Id(string? Value);

/// <summary><c>Value.Scalar</c>.</summary>
internal sealed record V1Scalar(double Value);

/// <summary><c>Value.Range</c>: inclusive.</summary>
internal sealed record V1Range(long Begin, long End);

/// <summary><c>Value.Ranges</c>.</summary>
internal sealed record V1Ranges(IReadOnlyList<V1Range>? Range);

/// <summary><c>Value.Set</c>.</summary>
internal sealed record V1Set(IReadOnlyList<string>? Item);

/// <summary><c>Value.Text</c>.</summary>
internal sealed record V1Text(string? Value);

/// <summary><c>Resource.ReservationInfo</c> (the refined format: a stack, last = the role the resource is reserved to).</summary>
internal sealed record V1Reservation
{
    public string? Type { get; init; }

    public string? Role { get; init; }

    public string? Principal { get; init; }

    public LabelList? Labels { get; init; }
}

/// <summary><c>Resource.AllocationInfo</c>.</summary>
internal sealed record V1AllocationInfo(string? Role);

/// <summary><c>Resource</c>: <c>name</c> and <c>type</c> are required; one of scalar, ranges, set matches the type.</summary>
internal sealed record V1Resource
{
    public string? Name { get; init; }

    public string? Type { get; init; }

    public V1Scalar? Scalar { get; init; }

    public V1Ranges? Ranges { get; init; }

    public V1Set? Set { get; init; }

    /// <summary>Deprecated pre-refinement role; Mesos still writes <c>"*"</c> for unreserved resources.</summary>
    public string? Role { get; init; }

    public V1AllocationInfo? AllocationInfo { get; init; }

    /// <summary>Deprecated pre-refinement reservation (read, never written).</summary>
    public V1Reservation? Reservation { get; init; }

    public IReadOnlyList<V1Reservation>? Reservations { get; init; }

    /// <summary>Present for disk resources of persistent volumes (read only to refuse them).</summary>
    public System.Text.Json.JsonElement? Disk { get; init; }

    public System.Text.Json.JsonElement? Revocable { get; init; }

    public System.Text.Json.JsonElement? Shared { get; init; }
}

/// <summary><c>Attribute</c>: TEXT, SCALAR, RANGES or SET.</summary>
internal sealed record V1Attribute
{
    public string? Name { get; init; }

    public string? Type { get; init; }

    public V1Text? Text { get; init; }

    public V1Scalar? Scalar { get; init; }

    public V1Ranges? Ranges { get; init; }

    public V1Set? Set { get; init; }
}

/// <summary><c>Address</c>.</summary>
internal sealed record V1Address
{
    public string? Hostname { get; init; }

    public string? Ip { get; init; }

    public int? Port { get; init; }
}

/// <summary><c>URL</c> (an offer's agent address; the real master always sets it and some libraries need it).</summary>
internal sealed record V1Url
{
    public string? Scheme { get; init; }

    public V1Address? Address { get; init; }

    public string? Path { get; init; }
}

/// <summary><c>Environment.Variable</c>.</summary>
internal sealed record V1Variable
{
    public string? Name { get; init; }

    public string? Type { get; init; }

    public string? Value { get; init; }
}

/// <summary><c>Environment</c>.</summary>
internal sealed record V1Environment(IReadOnlyList<V1Variable>? Variables);

/// <summary><c>CommandInfo.URI</c>.</summary>
internal sealed record V1Uri
{
    public string? Value { get; init; }

    public bool? Executable { get; init; }

    public bool? Extract { get; init; }

    public bool? Cache { get; init; }

    public string? OutputFile { get; init; }
}

/// <summary><c>CommandInfo</c>; <c>shell</c> defaults to true.</summary>
internal sealed record V1CommandInfo
{
    public IReadOnlyList<V1Uri>? Uris { get; init; }

    public V1Environment? Environment { get; init; }

    public bool? Shell { get; init; }

    public string? Value { get; init; }

    public IReadOnlyList<string>? Arguments { get; init; }

    public string? User { get; init; }
}

/// <summary><c>DurationInfo</c>.</summary>
internal sealed record V1Duration(long Nanoseconds);

/// <summary><c>KillPolicy</c>.</summary>
internal sealed record V1KillPolicy(V1Duration? GracePeriod);

/// <summary><c>HealthCheck.HTTPCheckInfo</c>.</summary>
internal sealed record V1HttpCheck
{
    public string? Protocol { get; init; }

    public string? Scheme { get; init; }

    public int Port { get; init; }

    public string? Path { get; init; }

    public IReadOnlyList<int>? Statuses { get; init; }
}

/// <summary><c>HealthCheck.TCPCheckInfo</c>.</summary>
internal sealed record V1TcpCheck(int Port);

/// <summary><c>HealthCheck</c> with Mesos's defaults when unset (delay 15 s, interval 10 s, timeout 20 s, 3 failures, grace 10 s).</summary>
internal sealed record V1HealthCheck
{
    public double? DelaySeconds { get; init; }

    public double? IntervalSeconds { get; init; }

    public double? TimeoutSeconds { get; init; }

    public int? ConsecutiveFailures { get; init; }

    public double? GracePeriodSeconds { get; init; }

    public string? Type { get; init; }

    public V1CommandInfo? Command { get; init; }

    public V1HttpCheck? Http { get; init; }

    public V1TcpCheck? Tcp { get; init; }
}

/// <summary><c>ExecutorInfo</c>.</summary>
internal sealed record V1ExecutorInfo
{
    public string? Type { get; init; }

    public V1Id? ExecutorId { get; init; }

    public V1Id? FrameworkId { get; init; }

    public V1CommandInfo? Command { get; init; }

    public ContainerInfo? Container { get; init; }

    public IReadOnlyList<V1Resource>? Resources { get; init; }

    public string? Name { get; init; }

    public string? Source { get; init; }

    public string? Data { get; init; }
}

/// <summary><c>TaskInfo</c>: name, task_id, agent_id required; exactly one of command and executor.</summary>
internal sealed record V1TaskInfo
{
    public string? Name { get; init; }

    public V1Id? TaskId { get; init; }

    public V1Id? AgentId { get; init; }

    public IReadOnlyList<V1Resource>? Resources { get; init; }

    public V1ExecutorInfo? Executor { get; init; }

    public V1CommandInfo? Command { get; init; }

    public ContainerInfo? Container { get; init; }

    public V1HealthCheck? HealthCheck { get; init; }

    public V1KillPolicy? KillPolicy { get; init; }

    public string? Data { get; init; }

    public LabelList? Labels { get; init; }

    public DiscoveryInfo? Discovery { get; init; }
}

/// <summary><c>FrameworkInfo.Capability</c>.</summary>
internal sealed record V1Capability(string? Type);

/// <summary><c>FrameworkInfo</c>: user and name required; <c>failover_timeout</c> defaults to 0 (removed at once on disconnect).</summary>
internal sealed record V1FrameworkInfo
{
    public string? User { get; init; }

    public string? Name { get; init; }

    public V1Id? Id { get; init; }

    public double? FailoverTimeout { get; init; }

    public bool? Checkpoint { get; init; }

    public string? Role { get; init; }

    public IReadOnlyList<string>? Roles { get; init; }

    public string? Hostname { get; init; }

    public string? Principal { get; init; }

    public string? WebuiUrl { get; init; }

    public IReadOnlyList<V1Capability>? Capabilities { get; init; }

    public LabelList? Labels { get; init; }
}

/// <summary><c>MasterInfo</c>; <c>ip</c> is the IPv4 address as Mesos stores it (network byte order read as a host integer).</summary>
internal sealed record V1MasterInfo
{
    public required string Id { get; init; }

    public long Ip { get; init; }

    public int Port { get; init; }

    public string? Pid { get; init; }

    public string? Hostname { get; init; }

    public string? Version { get; init; }

    public V1Address? Address { get; init; }
}

/// <summary><c>ContainerStatus</c>.</summary>
internal sealed record V1ContainerStatus
{
    public V1Id? ContainerId { get; init; }

    public IReadOnlyList<NetworkInfo>? NetworkInfos { get; init; }

    public int? ExecutorPid { get; init; }
}

/// <summary><c>TaskStatus</c>; <c>uuid</c> (16 bytes, base64) only when the update must be acknowledged.</summary>
internal sealed record V1TaskStatus
{
    public V1Id? TaskId { get; init; }

    public string? State { get; init; }

    public string? Message { get; init; }

    public string? Source { get; init; }

    public string? Reason { get; init; }

    public string? Data { get; init; }

    public V1Id? AgentId { get; init; }

    public V1Id? ExecutorId { get; init; }

    public double? Timestamp { get; init; }

    public string? Uuid { get; init; }

    public bool? Healthy { get; init; }

    public LabelList? Labels { get; init; }

    public V1ContainerStatus? ContainerStatus { get; init; }
}

/// <summary><c>Filters</c>.</summary>
internal sealed record V1Filters(double? RefuseSeconds);

/// <summary><c>Offer</c>.</summary>
internal sealed record V1Offer
{
    public V1Id? Id { get; init; }

    public V1Id? FrameworkId { get; init; }

    public V1Id? AgentId { get; init; }

    public string? Hostname { get; init; }

    public V1Url? Url { get; init; }

    public IReadOnlyList<V1Resource>? Resources { get; init; }

    public IReadOnlyList<V1Attribute>? Attributes { get; init; }

    public IReadOnlyList<V1Id>? ExecutorIds { get; init; }

    public V1AllocationInfo? AllocationInfo { get; init; }
}
