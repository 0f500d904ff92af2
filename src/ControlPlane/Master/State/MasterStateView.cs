using System.Collections.Immutable;
using Minuet.ControlPlane.Allocation;
using Minuet.ControlPlane.Master.Stream;

namespace Minuet.ControlPlane.Master.State;

/// <summary>
/// What <c>/master/state</c> (and the v0 <c>/master/slaves</c>, <c>/frameworks</c>, <c>/tasks</c>, the stream's
/// snapshot line) shows, as one immutable value the master publishes at the end of every change it makes under its
/// lock. Readers take it with one volatile read and render without the lock; a change costs the master only the
/// records that changed (persistent dictionaries), not a walk of the cluster.
/// </summary>
internal sealed record MasterStateView(
    long Version,
    string MasterId,
    DateTimeOffset StartTime,
    DateTimeOffset? ElectedTime,
    MasterOptions Options,
    ClusterChangeLog Changes,
    long ChangeVersion,
    ImmutableDictionary<string, AgentView> Agents,
    ImmutableDictionary<string, FrameworkView> Frameworks,
    ImmutableDictionary<string, TaskView> Tasks);

/// <summary>An agent as the state document shows it; used and offered resources are summed from tasks and offers.</summary>
internal sealed record AgentView(
    string Id,
    string Hostname,
    int Port,
    string Pid,
    IReadOnlyDictionary<string, string> Attributes,
    DateTimeOffset RegisteredTime,
    DateTimeOffset? ReregisteredTime,
    AgentResources Total,
    AgentStatus Status,
    string Version,
    long Order)
{
    /// <summary>What the agent declared (the v1 operator API's <c>agent_info.resources</c>); <see cref="Total"/> has dynamic reservations carved out.</summary>
    public AgentResources Declared { get; init; } = Total;
}

/// <summary>A framework as the state document shows it; its live tasks are the non-terminal ones in <see cref="MasterStateView.Tasks"/>.</summary>
internal sealed record FrameworkView(
    string Id,
    string Name,
    string? Hostname,
    string? WebuiUrl,
    bool Connected,
    bool Suppressed,
    string User,
    double FailoverTimeoutSeconds,
    bool Checkpoint,
    string Role,
    string? Principal,
    DateTimeOffset RegisteredTime,
    DateTimeOffset? ReregisteredTime,
    ImmutableArray<OfferEntry> Offers,
    ImmutableArray<TaskView> Completed,
    long Order);

/// <summary>
/// A task at its last published change: its JSON is the cached one, so rendering copies bytes; the launch and a copy
/// of the statuses are kept for the v1 operator API, which renders tasks in its own shape.
/// </summary>
internal sealed record TaskView(
    string Id,
    string FrameworkId,
    string AgentId,
    TaskState State,
    Resources Total,
    byte[] Json,
    double Started,
    long Order = 0)
{
    public Protocol.LaunchTaskRequest? Launch { get; init; }

    public IReadOnlyList<Protocol.TaskStatusUpdate> Statuses { get; init; } = [];
}
