using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Api.V1;

/// <summary>Between the master's <see cref="SchedulerStatus"/> and Mesos's <c>TaskStatus</c>, and their uuids.</summary>
internal static class V1Statuses
{
    /// <summary>States a framework without the PARTITION_AWARE capability never sees: Mesos sends TASK_LOST instead.</summary>
    private static readonly HashSet<string> PartitionAwareStates = new(StringComparer.Ordinal)
    {
        "TASK_UNREACHABLE", "TASK_DROPPED", "TASK_GONE", "TASK_GONE_BY_OPERATOR", "TASK_UNKNOWN",
    };

    /// <summary>Minuet's uuids are GUID strings; Mesos's are the same 16 bytes, base64 (24 characters ending <c>==</c>).</summary>
    public static string? ToV1Uuid(string? uuid)
    {
        if (uuid is null || !Guid.TryParse(uuid, out var guid))
        {
            return null;
        }

        Span<byte> bytes = stackalloc byte[16];
        guid.TryWriteBytes(bytes, bigEndian: true, out _);
        return Convert.ToBase64String(bytes);
    }

    /// <summary>A v1 uuid back to Minuet's form; null unless it is exactly 16 bytes of padded base64 (Mesos answers 400 otherwise).</summary>
    public static string? FromV1Uuid(string? uuid)
    {
        Span<byte> bytes = stackalloc byte[18];
        if (uuid is not { Length: 24 } || !Convert.TryFromBase64String(uuid, bytes, out int written) || written != 16)
        {
            return null;
        }

        return new Guid(bytes[..16], bigEndian: true).ToString();
    }

    public static V1TaskStatus ToV1(SchedulerStatus status, bool partitionAware) => new()
    {
        TaskId = new V1Id(status.TaskId),
        State = !partitionAware && PartitionAwareStates.Contains(status.State) ? "TASK_LOST" : status.State,
        Message = status.Message,
        Source = status.Source,
        Reason = status.Reason,
        AgentId = status.AgentId is null ? null : new V1Id(status.AgentId),
        ExecutorId = status.ExecutorId is null ? null : new V1Id(status.ExecutorId),
        Timestamp = status.Timestamp,
        Uuid = ToV1Uuid(status.Uuid),
        Healthy = status.Healthy,
        ContainerStatus = status.ContainerStatus is { } c ? new V1ContainerStatus
        {
            ContainerId = c.ContainerId is { } id ? new V1Id(id.Value) : null,
            NetworkInfos = c.NetworkInfos is { Count: > 0 } networks ? networks : null,
            ExecutorPid = c.ExecutorPid,
        }
        : null,
    };

    public static SchedulerStatus FromV1(V1TaskStatus status, string frameworkId) => new()
    {
        TaskId = status.TaskId?.Value ?? string.Empty,
        FrameworkId = frameworkId,
        AgentId = status.AgentId?.Value,
        ExecutorId = status.ExecutorId?.Value,
        State = status.State ?? "TASK_UNKNOWN",
        Reason = status.Reason,
        Message = status.Message,
        Source = status.Source ?? "SOURCE_MASTER",
        Healthy = status.Healthy,
        Timestamp = status.Timestamp ?? 0,
        Uuid = FromV1Uuid(status.Uuid),
        ContainerStatus = status.ContainerStatus is { } c ? new ContainerStatus
        {
            ContainerId = c.ContainerId?.Value is { } id ? new ContainerId(id) : null,
            NetworkInfos = c.NetworkInfos ?? [],
            ExecutorPid = c.ExecutorPid,
        }
        : null,
    };
}
