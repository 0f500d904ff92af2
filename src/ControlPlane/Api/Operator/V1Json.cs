using System.Text.Json;
using Minuet.ControlPlane.Allocation;
using Minuet.ControlPlane.Master.State;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Api.Operator;

/// <summary>
/// Pieces of Mesos's v1 protobuf JSON (stout's protobuf mapping: snake_case proto names, ids as <c>{"value"}</c>,
/// enums as names, times as <c>{"nanoseconds"}</c>) shared by the master's and the agent's <c>/api/v1</c>.
/// Resources are written in Mesos's ENDPOINT format (src/common/resources_utils.cpp): <c>role</c> is <c>*</c> when
/// unreserved, else the role plus <c>reservations[]</c>.
/// </summary>
internal static class V1Json
{
    public static void WriteId(Utf8JsonWriter w, string name, string value)
    {
        w.WriteStartObject(name);
        w.WriteString("value", value);
        w.WriteEndObject();
    }

    public static void WriteTime(Utf8JsonWriter w, string name, DateTimeOffset time)
    {
        w.WriteStartObject(name);
        w.WriteNumber("nanoseconds", (time.ToUnixTimeMilliseconds() * 1_000_000L) + (time.Ticks % TimeSpan.TicksPerMillisecond * 100));
        w.WriteEndObject();
    }

    /// <summary>A <c>repeated Resource</c> field for one role's resources (<c>*</c> = unreserved).</summary>
    public static void WriteResourceList(Utf8JsonWriter w, string name, Resources r, string role = "*", string reservationType = "STATIC")
    {
        w.WriteStartArray(name);
        WriteResourceItems(w, r, role, reservationType);
        w.WriteEndArray();
    }

    /// <summary>An agent's resources: the unreserved part and each role's reservation, as one list.</summary>
    public static void WriteAgentResourceList(Utf8JsonWriter w, string name, AgentResources total)
    {
        w.WriteStartArray(name);
        WriteResourceItems(w, total.Unreserved, "*", "STATIC");
        foreach (var (role, r) in total.Reserved)
        {
            WriteResourceItems(w, r, role, "STATIC");
        }

        w.WriteEndArray();
    }

    public static void WriteResourceItems(Utf8JsonWriter w, Resources r, string role, string reservationType)
    {
        WriteScalar(w, "cpus", r.Cpus, role, reservationType);
        WriteScalar(w, "mem", r.Mem, role, reservationType);
        WriteScalar(w, "disk", r.Disk, role, reservationType);
        if (!r.Ports.IsEmpty)
        {
            w.WriteStartObject();
            w.WriteString("name", "ports");
            w.WriteString("type", "RANGES");
            w.WriteStartObject("ranges");
            w.WriteStartArray("range");
            foreach (var interval in r.Ports.Intervals)
            {
                w.WriteStartObject();
                w.WriteNumber("begin", interval.Begin);
                w.WriteNumber("end", interval.End);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
            WriteRole(w, role, reservationType);
            w.WriteEndObject();
        }
    }

    /// <summary>Scalar name → value map of Mesos's <c>map&lt;string, Value.Scalar&gt;</c> (quota guarantees and limits).</summary>
    public static void WriteScalarMap(Utf8JsonWriter w, string name, Resources r)
    {
        w.WriteStartObject(name);
        foreach (var (key, value) in new[] { ("cpus", r.Cpus), ("mem", r.Mem), ("disk", r.Disk) })
        {
            if (value > 0)
            {
                w.WriteStartObject(key);
                w.WriteNumber("value", value);
                w.WriteEndObject();
            }
        }

        w.WriteEndObject();
    }

    private static void WriteScalar(Utf8JsonWriter w, string name, double value, string role, string reservationType)
    {
        if (value <= 0)
        {
            return; // Mesos's Resources never holds empty scalars.
        }

        w.WriteStartObject();
        w.WriteString("name", name);
        w.WriteString("type", "SCALAR");
        w.WriteStartObject("scalar");
        w.WriteNumber("value", value);
        w.WriteEndObject();
        WriteRole(w, role, reservationType);
        w.WriteEndObject();
    }

    private static void WriteRole(Utf8JsonWriter w, string role, string reservationType)
    {
        w.WriteString("role", role);
        if (role != "*")
        {
            w.WriteStartArray("reservations");
            w.WriteStartObject();
            w.WriteString("type", reservationType);
            w.WriteString("role", role);
            w.WriteEndObject();
            w.WriteEndArray();
            if (reservationType == "DYNAMIC")
            {
                w.WriteStartObject("reservation");
                w.WriteEndObject();
            }
        }
    }

    /// <summary>
    /// Mesos uuids are 16 raw bytes, base64 in JSON. Minuet's own updates carry GUID text: their 16 bytes are
    /// written; a uuid that already is 16 bytes of base64 (an executor's) passes as is.
    /// </summary>
    public static string Uuid(string uuid) => V1.V1Statuses.ToV1Uuid(uuid) ?? uuid;

    /// <summary>Mesos CommandInfo (<c>shell</c> is always written: it has a default).</summary>
    public static void WriteCommand(Utf8JsonWriter w, string name, CommandInfo command)
    {
        w.WriteStartObject(name);
        w.WriteBoolean("shell", command.Shell);
        if (command.Value is not null)
        {
            w.WriteString("value", command.Value);
        }

        if (command.Arguments is { Count: > 0 } args)
        {
            w.WriteStartArray("arguments");
            foreach (var a in args)
            {
                w.WriteStringValue(a);
            }

            w.WriteEndArray();
        }

        if (command.Environment is { Count: > 0 } env)
        {
            w.WriteStartObject("environment");
            w.WriteStartArray("variables");
            foreach (var (key, value) in env)
            {
                w.WriteStartObject();
                w.WriteString("name", key);
                w.WriteString("type", "VALUE");
                w.WriteString("value", value);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>Mesos ExecutorInfo (type CUSTOM: the only kind a launch can name).</summary>
    public static void WriteExecutorInfo(Utf8JsonWriter w, string name, ExecutorInfo executor, string frameworkId)
    {
        w.WriteStartObject(name);
        w.WriteString("type", "CUSTOM");
        WriteId(w, "executor_id", executor.ExecutorId);
        WriteId(w, "framework_id", frameworkId);
        WriteCommand(w, "command", executor.Command);
        if (executor.Resources is { } resources)
        {
            WriteResourceList(w, "resources", Master.ResourceConversions.ToResources(resources));
        }

        if (executor.Name is not null)
        {
            w.WriteString("name", executor.Name);
        }

        w.WriteEndObject();
    }

    /// <summary>Mesos v1 TaskStatus.</summary>
    public static void WriteTaskStatus(Utf8JsonWriter w, TaskStatusUpdate status, string? executorId)
    {
        w.WriteStartObject();
        WriteId(w, "task_id", status.TaskId);
        w.WriteString("state", status.State);
        if (status.Message is not null)
        {
            w.WriteString("message", status.Message);
        }

        w.WriteString("source", status.Source);
        if (status.Reason is not null)
        {
            w.WriteString("reason", status.Reason);
        }

        WriteId(w, "agent_id", status.AgentId);
        if (executorId is not null)
        {
            WriteId(w, "executor_id", executorId);
        }

        w.WriteNumber("timestamp", status.Timestamp);
        w.WriteString("uuid", Uuid(status.Uuid));
        if (status.Healthy is { } healthy)
        {
            w.WriteBoolean("healthy", healthy);
        }

        if (status.Labels is { Count: > 0 } labels)
        {
            w.WriteStartObject("labels");
            MasterStateWriter.WriteLabelArray(w, "labels", labels);
            w.WriteEndObject();
        }

        if (status.ContainerStatus is { } container)
        {
            w.WriteStartObject("container_status");
            if (container.ContainerId is { } id)
            {
                WriteId(w, "container_id", id.Value);
            }

            MasterStateWriter.WriteNetworkInfos(w, container.NetworkInfos ?? []);
            if (container.ExecutorPid is { } pid)
            {
                w.WriteNumber("executor_pid", pid);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>
    /// Mesos v1 Task (mesos.proto <c>Task</c>): what the master and agent report per task, with its status history
    /// and the latest update's state and uuid.
    /// </summary>
    public static void WriteTask(Utf8JsonWriter w, LaunchTaskRequest launch, string state, IReadOnlyList<TaskStatusUpdate> statuses, Resources resources)
    {
        string? executorId = launch.Executor?.ExecutorId;
        w.WriteStartObject();
        w.WriteString("name", launch.Name);
        WriteId(w, "task_id", launch.TaskId);
        WriteId(w, "framework_id", launch.FrameworkId);
        if (executorId is not null)
        {
            WriteId(w, "executor_id", executorId);
        }

        WriteId(w, "agent_id", launch.AgentId);
        w.WriteString("state", state);
        WriteResourceList(w, "resources", resources, launch.Role);
        w.WriteStartArray("statuses");
        foreach (var status in statuses)
        {
            WriteTaskStatus(w, status, executorId);
        }

        w.WriteEndArray();
        if (statuses.Count > 0)
        {
            w.WriteString("status_update_state", statuses[^1].State);
            w.WriteString("status_update_uuid", Uuid(statuses[^1].Uuid));
        }

        if (launch.Labels is { Count: > 0 })
        {
            w.WriteStartObject("labels");
            MasterStateWriter.WriteLabelArray(w, "labels", launch.Labels);
            w.WriteEndObject();
        }

        if (launch.Discovery is { } discovery)
        {
            MasterStateWriter.WriteDiscovery(w, discovery);
        }

        if (launch.Container is { } container)
        {
            w.WriteStartObject("container");
            w.WriteString("type", container.Type ?? "MESOS");
            MasterStateWriter.WriteNetworkInfos(w, container.NetworkInfos ?? []);
            w.WriteEndObject();
        }

        if (launch.HealthCheck is { } check)
        {
            MasterStateWriter.WriteHealthCheck(w, check);
        }

        w.WriteEndObject();
    }
}
