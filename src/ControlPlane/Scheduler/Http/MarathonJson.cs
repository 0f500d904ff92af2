using System.Text.Json;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler.Apps;
using Minuet.ControlPlane.Scheduler.Deployments;
using Minuet.ControlPlane.Scheduler.Health;
using Minuet.ControlPlane.Scheduler.Tasks;

namespace Minuet.ControlPlane.Scheduler.Http;

/// <summary>Marathon's JSON shapes for apps with their task counts, tasks, and deployments (docs/docs/rest-api).</summary>
internal static class MarathonJson
{
    public static void WriteApp(Utf8JsonWriter w, AppState app, IEnumerable<DeploymentPlan> deployments, bool embedTasks, bool embedFailure)
    {
        w.WriteStartObject();
        AppJsonWriter.WriteFields(w, app.Definition);
        var live = app.Live.ToList();
        w.WriteNumber("tasksStaged", live.Count(t => t.State is TaskState.Staging or TaskState.Starting));
        w.WriteNumber("tasksRunning", live.Count(t => t.IsRunning));
        w.WriteNumber("tasksHealthy", live.Count(t => t.IsRunning && t.HasHealthChecks && t.Healthy == true));
        w.WriteNumber("tasksUnhealthy", live.Count(t => t.IsRunning && t.HasHealthChecks && t.Healthy == false));
        w.WriteStartArray("deployments");
        foreach (var d in deployments)
        {
            w.WriteStartObject();
            w.WriteString("id", d.Id);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (embedTasks)
        {
            w.WriteStartArray("tasks");
            foreach (var task in app.Tasks.Values.OrderBy(t => t.StagedAt).ThenBy(t => t.Id, StringComparer.Ordinal))
            {
                WriteTask(w, task);
            }

            w.WriteEndArray();
        }

        if (embedFailure && app.LastFailure is { } failure)
        {
            w.WritePropertyName("lastTaskFailure");
            WriteTaskFailure(w, failure);
        }

        w.WriteEndObject();
    }

    /// <summary>Marathon's TaskFailure JSON (appId, host, message, slaveId, state, taskId, timestamp, version).</summary>
    public static void WriteTaskFailure(Utf8JsonWriter w, TaskFailure failure)
    {
        w.WriteStartObject();
        w.WriteString("appId", failure.AppId);
        w.WriteString("host", failure.Host);
        w.WriteString("message", failure.Message);
        w.WriteString("slaveId", failure.AgentId);
        w.WriteString("state", failure.State);
        w.WriteString("taskId", failure.TaskId);
        w.WriteString("timestamp", AppJsonWriter.Timestamp(failure.Timestamp));
        w.WriteString("version", AppJsonWriter.Timestamp(failure.Version));
        w.WriteEndObject();
    }

    public static void WriteTask(Utf8JsonWriter w, SchedulerTask task)
    {
        w.WriteStartObject();
        w.WriteString("id", task.Id);
        w.WriteString("appId", task.AppId);
        w.WriteString("host", task.Host);
        WriteInts(w, "ports", task.Ports);
        WriteInts(w, "servicePorts", task.ServicePorts);
        WriteIpAddresses(w, task.IpAddresses);
        w.WriteString("slaveId", task.AgentId);
        w.WriteString("state", task.State.ToMesosName());
        w.WriteString("stagedAt", AppJsonWriter.Timestamp(task.StagedAt));
        if (task.StartedAt is { } started)
        {
            w.WriteString("startedAt", AppJsonWriter.Timestamp(started));
        }

        w.WriteString("version", AppJsonWriter.Timestamp(task.Version));
        w.WriteString("role", "*");
        w.WriteStartArray("localVolumes");
        w.WriteEndArray();
        w.WriteStartArray("healthCheckResults");
        foreach (var check in task.Checks)
        {
            // Marathon lists a check once it has a verdict.
            if (check.Alive is { } alive)
            {
                WriteCheck(w, task, check, alive);
            }
        }

        w.WriteEndArray();
        if (task.Readiness.Count > 0)
        {
            w.WriteStartArray("readinessCheckResults");
            foreach (var r in task.Readiness)
            {
                WriteReadiness(w, task, r);
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static void WriteCheck(Utf8JsonWriter w, SchedulerTask task, TaskCheck check, bool alive)
    {
        w.WriteStartObject();
        w.WriteBoolean("alive", alive);
        w.WriteNumber("consecutiveFailures", check.ConsecutiveFailures);
        WriteTime(w, "firstSuccess", check.FirstSuccess);
        WriteTime(w, "lastFailure", check.LastFailure);
        WriteTime(w, "lastSuccess", check.LastSuccess);
        if (check.LastFailureCause is { } cause)
        {
            w.WriteString("lastFailureCause", cause);
        }
        else
        {
            w.WriteNull("lastFailureCause");
        }

        w.WriteString("instanceId", task.Id);
        w.WriteString("taskId", task.Id);
        w.WriteEndObject();
    }

    /// <summary>Marathon's ReadinessCheckResult: name, taskId, ready, lastResponse {status, contentType, body}.</summary>
    public static void WriteReadiness(Utf8JsonWriter w, SchedulerTask task, TaskReadiness r)
    {
        w.WriteStartObject();
        w.WriteString("name", r.Spec.Name);
        w.WriteString("taskId", task.Id);
        w.WriteBoolean("ready", r.Ready);
        if (r.LastStatus is { } status)
        {
            w.WriteStartObject("lastResponse");
            w.WriteNumber("status", status);
            w.WriteString("body", r.LastBody ?? string.Empty);
            w.WriteEndObject();
        }

        w.WriteEndObject();
    }

    private static void WriteTime(Utf8JsonWriter w, string name, DateTimeOffset? time)
    {
        if (time is { } t)
        {
            w.WriteString(name, AppJsonWriter.Timestamp(t));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    /// <param name="apps">When given, current actions list the readiness results of the app's new tasks.</param>
    public static void WritePlan(Utf8JsonWriter w, DeploymentPlan plan, IReadOnlyDictionary<string, AppState>? apps = null)
    {
        w.WriteStartObject();
        w.WriteString("id", plan.Id);
        w.WriteString("version", AppJsonWriter.Timestamp(plan.Version));
        w.WriteStartArray("affectedApps");
        foreach (var app in plan.AffectedApps)
        {
            w.WriteStringValue(app);
        }

        w.WriteEndArray();
        w.WriteStartArray("affectedPods");
        w.WriteEndArray();
        w.WriteStartArray("steps");
        foreach (var step in plan.Steps)
        {
            WriteStep(w, step);
        }

        w.WriteEndArray();
        w.WriteStartArray("currentActions");
        if (plan.CurrentStep < plan.Steps.Count)
        {
            foreach (var action in plan.Steps[plan.CurrentStep])
            {
                w.WriteStartObject();
                w.WriteString("action", action.Action);
                w.WriteString("app", action.App);
                w.WriteStartArray("readinessCheckResults");
                if (apps is not null && apps.TryGetValue(action.App, out var state))
                {
                    foreach (var task in state.Live.Where(t => t.Version == state.Definition.ConfigVersion))
                    {
                        foreach (var r in task.Readiness)
                        {
                            WriteReadiness(w, task, r);
                        }
                    }
                }

                w.WriteEndArray();
                w.WriteEndObject();
            }
        }

        w.WriteEndArray();
        w.WriteNumber("currentStep", Math.Min(plan.CurrentStep + 1, plan.Steps.Count));
        w.WriteNumber("totalSteps", plan.Steps.Count);
        w.WriteEndObject();
    }

    public static void WriteStep(Utf8JsonWriter w, IReadOnlyList<DeploymentAction> step)
    {
        w.WriteStartObject();
        w.WriteStartArray("actions");
        foreach (var action in step)
        {
            w.WriteStartObject();
            w.WriteString("action", action.Action);
            w.WriteString("app", action.App);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Marathon's <c>ipAddresses: [{ipAddress, protocol}]</c>.</summary>
    public static void WriteIpAddresses(Utf8JsonWriter w, IEnumerable<string> ips)
    {
        w.WriteStartArray("ipAddresses");
        foreach (var ip in ips)
        {
            w.WriteStartObject();
            w.WriteString("ipAddress", ip);
            w.WriteString("protocol", ip.Contains(':', StringComparison.Ordinal) ? "IPv6" : "IPv4");
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    public static void WriteInts(Utf8JsonWriter w, string name, IEnumerable<int> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteNumberValue(v);
        }

        w.WriteEndArray();
    }
}
