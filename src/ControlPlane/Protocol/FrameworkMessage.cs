namespace Minuet.ControlPlane.Protocol;

/// <summary>
/// Opaque bytes between a framework's scheduler and one of its executors (Mesos's FrameworkToExecutorMessage and
/// ExecutorToFrameworkMessage): <c>data</c> is base64, as in the v1 JSON. Delivery is best effort, as in Mesos: a
/// message for an executor or framework that is not there is dropped, never queued or retried.
/// </summary>
internal sealed record FrameworkMessage
{
    public required string FrameworkId { get; init; }

    public required string ExecutorId { get; init; }

    public required string Data { get; init; }
}
