using System.Text.Json;
using Minuet.ControlPlane.Agent.Runtime;
using Minuet.ControlPlane.Api.Operator;
using Minuet.ControlPlane.Master;

namespace Minuet.ControlPlane.Agent.Operator;

/// <summary>The agent's v1 Response parts (agent.proto <c>GetTasks</c>, <c>GetExecutors</c>, <c>GetFrameworks</c>, <c>GetAgent</c>).</summary>
internal static class AgentV1Writer
{
    /// <summary>
    /// <c>queued_tasks</c>: waiting for their executor to subscribe; <c>launched_tasks</c>: live; <c>terminated_tasks</c>:
    /// terminal but their update not yet acknowledged; <c>completed_tasks</c>: done.
    /// </summary>
    public static void WriteGetTasks(Utf8JsonWriter w, IReadOnlyList<AgentTaskView> tasks)
    {
        w.WriteStartObject("get_tasks");
        Write(w, "queued_tasks", tasks.Where(t => t.Queued));
        Write(w, "launched_tasks", tasks.Where(t => !t.Queued && !t.Terminal));
        Write(w, "completed_tasks", tasks.Where(t => t.Terminal));
        w.WriteEndObject();

        static void Write(Utf8JsonWriter w, string name, IEnumerable<AgentTaskView> list)
        {
            w.WriteStartArray(name);
            foreach (var task in list)
            {
                IReadOnlyList<Protocol.TaskStatusUpdate> statuses = task.Status is { } s ? [s] : [];
                V1Json.WriteTask(w, task.Launch, task.State, statuses, task.Launch.Resources.ToResources());
            }

            w.WriteEndArray();
        }
    }

    public static void WriteGetExecutors(Utf8JsonWriter w, IReadOnlyList<AgentExecutorView> executors)
    {
        w.WriteStartObject("get_executors");
        foreach (var (name, live) in new[] { ("executors", true), ("completed_executors", false) })
        {
            w.WriteStartArray(name);
            foreach (var executor in executors.Where(e => e.Live == live))
            {
                w.WriteStartObject();
                V1Json.WriteExecutorInfo(w, "executor_info", executor.Info, executor.FrameworkId);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    public static void WriteGetFrameworks(Utf8JsonWriter w, IReadOnlyList<AgentTaskView> tasks, IReadOnlyList<AgentExecutorView> executors)
    {
        var names = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        foreach (var task in tasks)
        {
            names.TryAdd(task.Launch.FrameworkId, task.Launch.FrameworkName);
        }

        foreach (var executor in executors)
        {
            names.TryAdd(executor.FrameworkId, executor.FrameworkName);
        }

        w.WriteStartObject("get_frameworks");
        w.WriteStartArray("frameworks");
        foreach (var (id, name) in names)
        {
            w.WriteStartObject();
            w.WriteStartObject("framework_info");
            w.WriteString("user", "root");
            w.WriteString("name", name ?? string.Empty);
            V1Json.WriteId(w, "id", id);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteAgentInfo(Utf8JsonWriter w, AgentRuntime runtime, AgentDescription agent)
    {
        w.WriteStartObject("agent_info");
        w.WriteString("hostname", agent.Hostname);
        w.WriteNumber("port", agent.Port);
        V1Json.WriteAgentResourceList(w, "resources", new Allocation.AgentResources(agent.Resources.Unreserved.ToResources(),
            agent.Resources.Reserved.ToDictionary(p => p.Key, p => p.Value.ToResources(), StringComparer.Ordinal)));
        w.WriteStartArray("attributes");
        foreach (var (key, value) in agent.Attributes)
        {
            w.WriteStartObject();
            w.WriteString("name", key);
            w.WriteString("type", "TEXT");
            w.WriteStartObject("text");
            w.WriteString("value", value);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        if (runtime.AgentId is { } id)
        {
            V1Json.WriteId(w, "id", id);
        }

        w.WriteEndObject();
    }
}
