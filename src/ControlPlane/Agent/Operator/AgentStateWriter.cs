using System.Buffers;
using System.Text.Json;
using Minuet.ControlPlane.Agent.Runtime;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Master.State;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Agent.Operator;

/// <summary>
/// The agent's v0 <c>/state</c> (also <c>/slave(1)/state</c>, <c>/state.json</c>) in Mesos's shape
/// (src/slave/http.cpp <c>state</c>): id, pid, hostname, resources, attributes, flags, and
/// <c>frameworks[].executors[]</c> with their <c>directory</c> (the sandbox a UI browses through <c>/files</c>),
/// <c>tasks</c>, <c>queued_tasks</c> and <c>completed_tasks</c>. A command task is its own executor (id = task id),
/// as with Mesos's command executor.
/// </summary>
internal static class AgentStateWriter
{
    public static byte[] Render(AgentRuntime runtime, AgentDescription agent)
    {
        var buffer = new ArrayBufferWriter<byte>(8192);
        using (var w = new Utf8JsonWriter(buffer))
        {
            Write(w, runtime, agent);
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void Write(Utf8JsonWriter w, AgentRuntime runtime, AgentDescription agent)
    {
        var tasks = runtime.TaskViews();
        var executors = runtime.ExecutorViews();
        w.WriteStartObject();
        w.WriteString("version", MasterStateWriter.MesosVersion);
        w.WriteString("build_user", "minuet");
        w.WriteNumber("start_time", MasterCore.Seconds(agent.StartTime));
        if (runtime.AgentId is { } id)
        {
            w.WriteString("id", id);
        }

        w.WriteString("pid", agent.Pid);
        w.WriteString("hostname", agent.Hostname);
        w.WriteStartArray("capabilities");
        w.WriteStringValue("MULTI_ROLE");
        w.WriteStringValue("RESERVATION_REFINEMENT");
        w.WriteEndArray();
        var unreserved = agent.Resources.Unreserved.ToResources();
        var total = unreserved;
        foreach (var r in agent.Resources.Reserved.Values)
        {
            total += r.ToResources();
        }

        MasterStateWriter.WriteResources(w, "resources", total);
        w.WriteStartObject("reserved_resources");
        foreach (var (role, r) in agent.Resources.Reserved)
        {
            MasterStateWriter.WriteResources(w, role, r.ToResources());
        }

        w.WriteEndObject();
        MasterStateWriter.WriteResources(w, "unreserved_resources", unreserved);
        w.WriteStartObject("attributes");
        foreach (var (key, value) in agent.Attributes)
        {
            w.WriteString(key, value);
        }

        w.WriteEndObject();
        w.WriteString("master_hostname", agent.Master.Host);
        w.WriteStartObject("flags");
        w.WriteString("port", agent.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        w.WriteString("hostname", agent.Hostname);
        w.WriteString("master", agent.Master.ToString());
        w.WriteString("work_dir", runtime.Store.WorkDir);
        w.WriteString("isolation", runtime.Isolation.Isolation);
        w.WriteString("executor_registration_timeout", $"{runtime.Options.ExecutorRegistrationTimeout.TotalSeconds}secs");
        w.WriteEndObject();

        var frameworkIds = tasks.Select(t => t.Launch.FrameworkId).Concat(executors.Select(e => e.FrameworkId)).Distinct(StringComparer.Ordinal).ToList();
        w.WriteStartArray("frameworks");
        foreach (var frameworkId in frameworkIds)
        {
            WriteFramework(w, frameworkId, tasks, executors, agent);
        }

        w.WriteEndArray();
        w.WriteStartArray("completed_frameworks");
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteFramework(Utf8JsonWriter w, string frameworkId, IReadOnlyList<AgentTaskView> allTasks, IReadOnlyList<AgentExecutorView> allExecutors, AgentDescription agent)
    {
        var tasks = allTasks.Where(t => t.Launch.FrameworkId == frameworkId).ToList();
        var executors = allExecutors.Where(e => e.FrameworkId == frameworkId).ToList();
        string name = tasks.Select(t => t.Launch.FrameworkName).Concat(executors.Select(e => e.FrameworkName)).FirstOrDefault(n => n is not null) ?? string.Empty;
        w.WriteStartObject();
        w.WriteString("id", frameworkId);
        w.WriteString("name", name);
        w.WriteString("user", "root");
        w.WriteNumber("failover_timeout", 0);
        w.WriteBoolean("checkpoint", true);
        w.WriteString("hostname", agent.Hostname);
        w.WriteString("role", tasks.Select(t => t.Launch.Role).FirstOrDefault() ?? "*");

        var live = new List<(string Id, string Name, string Container, string? Directory, ResourceSet? Resources, List<AgentTaskView> Tasks)>();
        var done = new List<(string Id, string Name, string Container, string? Directory, ResourceSet? Resources, List<AgentTaskView> Tasks)>();
        foreach (var task in tasks.Where(t => t.Launch.Executor is null))
        {
            var entry = (task.Launch.TaskId, CommandExecutorName(task.Launch), task.ContainerId, task.Directory, (ResourceSet?)task.Launch.Resources, new List<AgentTaskView> { task });
            (task.Terminal ? done : live).Add(entry);
        }

        foreach (var executor in executors)
        {
            var mine = tasks.Where(t => t.Launch.Executor?.ExecutorId == executor.Info.ExecutorId && t.Directory == executor.Directory).ToList();
            var entry = (executor.Info.ExecutorId, executor.Info.Name ?? string.Empty, executor.ContainerId, (string?)executor.Directory, executor.Info.Resources, mine);
            (executor.Live ? live : done).Add(entry);
        }

        w.WriteStartArray("executors");
        foreach (var e in live)
        {
            WriteExecutor(w, e.Id, e.Name, e.Container, e.Directory, e.Resources, e.Tasks, frameworkId);
        }

        w.WriteEndArray();
        w.WriteStartArray("completed_executors");
        foreach (var e in done)
        {
            WriteExecutor(w, e.Id, e.Name, e.Container, e.Directory, e.Resources, e.Tasks, frameworkId);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>The name Mesos gives a command task's executor.</summary>
    private static string CommandExecutorName(LaunchTaskRequest launch) =>
        $"Command Executor (Task: {launch.TaskId}) (Command: sh -c '{Truncate(launch.Command.Value ?? string.Empty)}')";

    private static string Truncate(string command) => command.Length > 20 ? command[..15] + "[...]" : command;

    private static void WriteExecutor(Utf8JsonWriter w, string id, string name, string container, string? directory, ResourceSet? resources,
        List<AgentTaskView> tasks, string frameworkId)
    {
        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteString("name", name);
        w.WriteString("framework_id", frameworkId);
        w.WriteString("source", id);
        w.WriteString("container", container);
        w.WriteString("directory", directory ?? string.Empty);
        MasterStateWriter.WriteResources(w, "resources", (resources ?? new ResourceSet()).ToResources());
        w.WriteString("role", tasks.Select(t => t.Launch.Role).FirstOrDefault() ?? "*");
        WriteTasks(w, "tasks", tasks.Where(t => !t.Terminal && !t.Queued));
        WriteTasks(w, "queued_tasks", tasks.Where(t => t.Queued));
        WriteTasks(w, "completed_tasks", tasks.Where(t => t.Terminal));
        w.WriteEndObject();
    }

    private static void WriteTasks(Utf8JsonWriter w, string name, IEnumerable<AgentTaskView> tasks)
    {
        w.WriteStartArray(name);
        foreach (var task in tasks)
        {
            WriteTask(w, task);
        }

        w.WriteEndArray();
    }

    /// <summary>Mesos's task JSON (src/common/http.cpp), as on the master.</summary>
    private static void WriteTask(Utf8JsonWriter w, AgentTaskView task)
    {
        var launch = task.Launch;
        w.WriteStartObject();
        w.WriteString("id", launch.TaskId);
        w.WriteString("name", launch.Name);
        w.WriteString("framework_id", launch.FrameworkId);
        w.WriteString("executor_id", launch.Executor?.ExecutorId ?? string.Empty);
        w.WriteString("slave_id", launch.AgentId);
        w.WriteString("state", task.State);
        MasterStateWriter.WriteResources(w, "resources", launch.Resources.ToResources());
        w.WriteString("role", launch.Role);
        w.WriteStartArray("statuses");
        if (task.Status is { } status)
        {
            MasterStateWriter.WriteStatus(w, status);
        }

        w.WriteEndArray();
        if (launch.Labels is { Count: > 0 })
        {
            MasterStateWriter.WriteLabelArray(w, "labels", launch.Labels);
        }

        if (launch.Discovery is { } discovery)
        {
            MasterStateWriter.WriteDiscovery(w, discovery);
        }

        if (launch.HealthCheck is { } check)
        {
            MasterStateWriter.WriteHealthCheck(w, check);
        }

        w.WriteEndObject();
    }
}
