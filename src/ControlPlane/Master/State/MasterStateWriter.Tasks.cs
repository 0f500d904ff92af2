using System.Text.Json;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Master.State;

/// <summary>Tasks and their statuses, in Mesos's task JSON (src/common/http.cpp <c>json(ObjectWriter*, const Task&amp;)</c>).</summary>
internal static partial class MasterStateWriter
{
    /// <summary>Writes the task, reusing its cached JSON when it has not changed since.</summary>
    internal static void WriteTask(Utf8JsonWriter w, TaskEntry task)
    {
        if (task.CachedJson is { } cached)
        {
            w.WriteRawValue(cached, skipInputValidation: true);
            return;
        }

        WriteTaskFields(w, task);
    }

    public static byte[] RenderTask(TaskEntry task)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteTaskFields(writer, task);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteTaskFields(Utf8JsonWriter w, TaskEntry task)
    {
        var launch = task.Launch;
        w.WriteStartObject();
        w.WriteString("id", launch.TaskId);
        w.WriteString("name", launch.Name);
        w.WriteString("framework_id", launch.FrameworkId);
        w.WriteString("executor_id", string.Empty);
        w.WriteString("slave_id", launch.AgentId);
        w.WriteString("state", task.State.ToMesosName());
        w.WriteStartObject("resources");
        WriteResourceFields(w, task.Slice.Total);
        w.WriteEndObject();
        w.WriteString("role", launch.Role);
        w.WriteStartArray("statuses");
        foreach (var status in task.Statuses)
        {
            WriteStatus(w, status);
        }

        w.WriteEndArray();
        if (launch.Labels is { Count: > 0 })
        {
            WriteLabelArray(w, "labels", launch.Labels);
        }

        if (launch.Discovery is { } discovery)
        {
            WriteDiscovery(w, discovery);
        }

        if (launch.Container is { } container)
        {
            w.WriteStartObject("container");
            w.WriteString("type", container.Type ?? "MESOS");
            WriteNetworkInfos(w, container.NetworkInfos ?? []);
            w.WriteEndObject();
        }

        if (launch.HealthCheck is { } check)
        {
            WriteHealthCheck(w, check);
        }

        w.WriteEndObject();
    }

    internal static void WriteStatus(Utf8JsonWriter w, TaskStatusUpdate status)
    {
        w.WriteStartObject();
        w.WriteString("state", status.State);
        w.WriteNumber("timestamp", status.Timestamp);
        if (status.Labels is { Count: > 0 })
        {
            WriteLabelArray(w, "labels", status.Labels);
        }

        if (status.Healthy is { } healthy)
        {
            w.WriteBoolean("healthy", healthy);
        }

        if (status.ContainerStatus is { } container)
        {
            w.WriteStartObject("container_status");
            if (container.ContainerId is { } id)
            {
                w.WriteStartObject("container_id");
                w.WriteString("value", id.Value);
                w.WriteEndObject();
            }

            WriteNetworkInfos(w, container.NetworkInfos ?? []);
            if (container.ExecutorPid is { } pid)
            {
                w.WriteNumber("executor_pid", pid);
            }

            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    internal static void WriteNetworkInfos(Utf8JsonWriter w, IReadOnlyList<NetworkInfo> infos)
    {
        w.WriteStartArray("network_infos");
        foreach (var info in infos)
        {
            w.WriteStartObject();
            w.WriteStartArray("ip_addresses");
            foreach (var ip in info.IpAddresses ?? [])
            {
                w.WriteStartObject();
                w.WriteString("protocol", ip.Protocol);
                w.WriteString("ip_address", ip.IpAddress);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            if (info.Name is not null)
            {
                w.WriteString("name", info.Name);
            }

            if (info.Groups is { Count: > 0 })
            {
                w.WriteStartArray("groups");
                foreach (var g in info.Groups!)
                {
                    w.WriteStringValue(g);
                }

                w.WriteEndArray();
            }

            if (info.Labels is { Labels.Count: > 0 } labels)
            {
                WriteLabelObject(w, "labels", labels.Labels ?? []);
            }

            if (info.PortMappings is { Count: > 0 })
            {
                w.WriteStartArray("port_mappings");
                foreach (var m in info.PortMappings!)
                {
                    w.WriteStartObject();
                    w.WriteNumber("host_port", m.HostPort);
                    w.WriteNumber("container_port", m.ContainerPort);
                    w.WriteString("protocol", m.Protocol);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    internal static void WriteDiscovery(Utf8JsonWriter w, DiscoveryInfo discovery)
    {
        w.WriteStartObject("discovery");
        w.WriteString("visibility", discovery.Visibility ?? "FRAMEWORK");
        if (discovery.Name is not null)
        {
            w.WriteString("name", discovery.Name);
        }

        if (discovery.Ports is { } ports)
        {
            w.WriteStartObject("ports");
            w.WriteStartArray("ports");
            foreach (var port in ports.Ports ?? [])
            {
                w.WriteStartObject();
                w.WriteNumber("number", port.Number);
                if (port.Name is not null)
                {
                    w.WriteString("name", port.Name);
                }

                if (port.Protocol is not null)
                {
                    w.WriteString("protocol", port.Protocol);
                }

                if (port.Visibility is not null)
                {
                    w.WriteString("visibility", port.Visibility);
                }

                if (port.Labels is { } labels)
                {
                    WriteLabelObject(w, "labels", labels.Labels ?? []);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        if (discovery.Labels is { } discoveryLabels)
        {
            WriteLabelObject(w, "labels", discoveryLabels.Labels ?? []);
        }

        w.WriteEndObject();
    }

    internal static void WriteHealthCheck(Utf8JsonWriter w, HealthCheck check)
    {
        w.WriteStartObject("health_check");
        w.WriteString("type", check.Type ?? "HTTP");
        w.WriteNumber("delay_seconds", check.DelaySeconds);
        w.WriteNumber("interval_seconds", check.IntervalSeconds);
        w.WriteNumber("timeout_seconds", check.TimeoutSeconds);
        w.WriteNumber("consecutive_failures", check.ConsecutiveFailures);
        w.WriteNumber("grace_period_seconds", check.GracePeriodSeconds);
        if (check.Http is { } http)
        {
            w.WriteStartObject("http");
            w.WriteNumber("port", http.Port);
            w.WriteString("path", http.Path ?? "/");
            w.WriteString("scheme", http.Scheme ?? "http");
            w.WriteEndObject();
        }

        if (check.Tcp is { } tcp)
        {
            w.WriteStartObject("tcp");
            w.WriteNumber("port", tcp.Port);
            w.WriteEndObject();
        }

        if (check.Command is { } command)
        {
            w.WriteStartObject("command");
            w.WriteString("value", command.Value);
            w.WriteBoolean("shell", command.Shell);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    /// <summary>Task and status labels: a plain array of <c>{key, value}</c> (Mesos's <c>json(ArrayWriter*, Labels)</c>).</summary>
    internal static void WriteLabelArray(Utf8JsonWriter w, string name, IReadOnlyList<Label> labels)
    {
        w.WriteStartArray(name);
        foreach (var label in labels)
        {
            w.WriteStartObject();
            w.WriteString("key", label.Key);
            w.WriteString("value", label.Value);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    /// <summary>Labels inside protobuf-generic JSON (discovery, network infos): <c>{"labels": [{key, value}]}</c>.</summary>
    private static void WriteLabelObject(Utf8JsonWriter w, string name, IReadOnlyList<Label> labels)
    {
        w.WriteStartObject(name);
        WriteLabelArray(w, "labels", labels);
        w.WriteEndObject();
    }
}
