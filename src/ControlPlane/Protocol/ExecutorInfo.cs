namespace Minuet.ControlPlane.Protocol;

/// <summary>
/// Mesos ExecutorInfo: a custom executor the agent starts for a task (once per executor id and framework) with Mesos's
/// executor environment; the executor then subscribes to the agent's <c>/api/v1/executor</c> and runs the task.
/// Tasks without one run as command tasks.
/// </summary>
internal sealed record ExecutorInfo
{
    public required string ExecutorId { get; init; }

    public string? Name { get; init; }

    public required CommandInfo Command { get; init; }

    /// <summary>What the executor itself holds, beside its tasks' resources.</summary>
    public ResourceSet? Resources { get; init; }

    public ContainerInfo? Container { get; init; }
}
