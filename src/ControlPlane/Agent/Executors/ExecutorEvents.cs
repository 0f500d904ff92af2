using System.Text.Json;
using Minuet.ControlPlane.Api.Operator;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Master.State;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Executors;

/// <summary>
/// The agent's events to an executor (include/mesos/v1/executor/executor.proto <c>Event</c>), rendered as JSON
/// payloads for RecordIO framing.
/// </summary>
internal static class ExecutorEvents
{
    public static byte[] Subscribed(ExecutorRun run, string hostname, int port) => V1Http.Render("SUBSCRIBED", w =>
    {
        w.WriteStartObject("subscribed");
        V1Json.WriteExecutorInfo(w, "executor_info", run.Info, run.FrameworkId);
        w.WriteStartObject("framework_info");
        w.WriteString("user", "root");
        w.WriteString("name", run.FrameworkName ?? string.Empty);
        V1Json.WriteId(w, "id", run.FrameworkId);
        w.WriteEndObject();
        w.WriteStartObject("agent_info");
        w.WriteString("hostname", hostname);
        w.WriteNumber("port", port);
        V1Json.WriteId(w, "id", run.AgentId);
        w.WriteEndObject();
        V1Json.WriteId(w, "container_id", run.ContainerId);
        w.WriteEndObject();
    });

    public static byte[] Launch(ExecutorRun run, LaunchTaskRequest task) => V1Http.Render("LAUNCH", w =>
    {
        w.WriteStartObject("launch");
        WriteTaskInfo(w, "task", run, task);
        w.WriteEndObject();
    });

    public static byte[] Kill(string taskId, double? gracePeriodSeconds) => V1Http.Render("KILL", w =>
    {
        w.WriteStartObject("kill");
        V1Json.WriteId(w, "task_id", taskId);
        if (gracePeriodSeconds is { } grace)
        {
            w.WriteStartObject("kill_policy");
            w.WriteStartObject("grace_period");
            w.WriteNumber("nanoseconds", (long)(grace * 1e9));
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndObject();
    });

    public static byte[] Acknowledged(string taskId, string uuid) => V1Http.Render("ACKNOWLEDGED", w =>
    {
        w.WriteStartObject("acknowledged");
        V1Json.WriteId(w, "task_id", taskId);
        w.WriteString("uuid", uuid);
        w.WriteEndObject();
    });

    public static byte[] Message(string data) => V1Http.Render("MESSAGE", w =>
    {
        w.WriteStartObject("message");
        w.WriteString("data", data);
        w.WriteEndObject();
    });

    public static byte[] Error(string message) => V1Http.Render("ERROR", w =>
    {
        w.WriteStartObject("error");
        w.WriteString("message", message);
        w.WriteEndObject();
    });

    public static readonly byte[] Shutdown = V1Http.Render("SHUTDOWN", null);

    public static readonly byte[] Heartbeat = V1Http.Render("HEARTBEAT", null);

    /// <summary>mesos.proto <c>TaskInfo</c> as the executor receives it.</summary>
    public static void WriteTaskInfo(Utf8JsonWriter w, string name, ExecutorRun run, LaunchTaskRequest task)
    {
        w.WriteStartObject(name);
        w.WriteString("name", task.Name);
        V1Json.WriteId(w, "task_id", task.TaskId);
        V1Json.WriteId(w, "agent_id", task.AgentId);
        V1Json.WriteResourceList(w, "resources", task.Resources.ToResources(), task.Role);
        // A task run by an executor has no command of its own in Mesos (TaskInfo holds one or the other).
        V1Json.WriteExecutorInfo(w, "executor", run.Info, run.FrameworkId);

        if (task.Data is not null)
        {
            w.WriteString("data", task.Data);
        }

        if (task.Labels is { Count: > 0 })
        {
            w.WriteStartObject("labels");
            MasterStateWriter.WriteLabelArray(w, "labels", task.Labels);
            w.WriteEndObject();
        }

        if (task.Discovery is { } discovery)
        {
            MasterStateWriter.WriteDiscovery(w, discovery);
        }

        if (task.HealthCheck is { } check)
        {
            MasterStateWriter.WriteHealthCheck(w, check);
        }

        if (task.KillGracePeriodSeconds is { } grace)
        {
            w.WriteStartObject("kill_policy");
            w.WriteStartObject("grace_period");
            w.WriteNumber("nanoseconds", (long)(grace * 1e9));
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }
}
