using System.Globalization;
using System.Net;
using System.Text.Json;
using Minuet.ControlPlane.Allocation;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Master.State;

namespace Minuet.ControlPlane.Api.Operator;

/// <summary>
/// The master's half of Mesos's v1 operator messages (include/mesos/v1/master/master.proto <c>Response</c>):
/// <c>get_state</c> and its four parts, agents, frameworks and the master's info. The GET calls render a published
/// <see cref="MasterStateView"/> (through its <see cref="StateIndex"/>) and never take the master lock; the event
/// stream renders single records under the lock through the entry overloads, which build the same views.
/// </summary>
internal static class MasterV1Writer
{
    public static void WriteGetState(Utf8JsonWriter w, string name, StateIndex index)
    {
        w.WriteStartObject(name);
        WriteGetTasks(w, "get_tasks", index);
        WriteGetExecutors(w, "get_executors", index);
        WriteGetFrameworks(w, "get_frameworks", index);
        WriteGetAgents(w, "get_agents", index);
        w.WriteEndObject();
    }

    public static void WriteGetTasks(Utf8JsonWriter w, string name, StateIndex index)
    {
        w.WriteStartObject(name);
        w.WriteStartArray("tasks");
        foreach (var framework in index.Frameworks)
        {
            foreach (var task in index.LiveOf(framework.Id))
            {
                if (task.State != TaskState.Unreachable)
                {
                    WriteTask(w, task);
                }
            }
        }

        w.WriteEndArray();
        w.WriteStartArray("unreachable_tasks");
        foreach (var framework in index.Frameworks)
        {
            foreach (var task in index.LiveOf(framework.Id))
            {
                if (task.State == TaskState.Unreachable)
                {
                    WriteTask(w, task);
                }
            }
        }

        w.WriteEndArray();
        w.WriteStartArray("completed_tasks");
        foreach (var framework in index.Frameworks)
        {
            foreach (var task in framework.Completed)
            {
                WriteTask(w, task);
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteTask(Utf8JsonWriter w, TaskEntry task) =>
        V1Json.WriteTask(w, task.Launch, task.State.ToMesosName(), task.Statuses, task.Slice.Total);

    private static void WriteTask(Utf8JsonWriter w, TaskView task) =>
        V1Json.WriteTask(w, task.Launch!, task.State.ToMesosName(), task.Statuses, task.Total);

    /// <summary>Custom executors of live tasks, one per (framework, executor id, agent).</summary>
    public static void WriteGetExecutors(Utf8JsonWriter w, string name, StateIndex index)
    {
        w.WriteStartObject(name);
        w.WriteStartArray("executors");
        var seen = new HashSet<(string, string, string)>();
        foreach (var framework in index.Frameworks)
        {
            foreach (var task in index.LiveOf(framework.Id))
            {
                if (task.Launch?.Executor is { } executor && seen.Add((task.FrameworkId, executor.ExecutorId, task.AgentId)))
                {
                    w.WriteStartObject();
                    V1Json.WriteExecutorInfo(w, "executor_info", executor, task.FrameworkId);
                    V1Json.WriteId(w, "agent_id", task.AgentId);
                    w.WriteEndObject();
                }
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteGetFrameworks(Utf8JsonWriter w, string name, StateIndex index)
    {
        w.WriteStartObject(name);
        w.WriteStartArray("frameworks");
        foreach (var framework in index.Frameworks)
        {
            WriteFramework(w, index.View, framework, index.LiveOf(framework.Id));
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>A framework as it is now (an event, under the master lock).</summary>
    public static void WriteFramework(Utf8JsonWriter w, MasterCore master, FrameworkEntry framework)
    {
        var live = new List<TaskView>(framework.Tasks.Count);
        foreach (var task in framework.Tasks.Values)
        {
            live.Add(new TaskView(task.Id, task.FrameworkId, task.AgentId, task.State, task.Slice.Total, [], 0));
        }

        WriteFramework(w, master.View, StateViewPublisher.FrameworkOf(framework, [], 0), live, master.Agents);
    }

    /// <summary>master.proto <c>Response.GetFrameworks.Framework</c>.</summary>
    private static void WriteFramework(Utf8JsonWriter w, MasterStateView view, FrameworkView framework, List<TaskView> live, IReadOnlyDictionary<string, AgentEntry>? agents = null)
    {
        var used = Resources.Empty;
        foreach (var task in live)
        {
            if (task.State != TaskState.Unreachable)
            {
                used += task.Total;
            }
        }

        var offered = Resources.Empty;
        foreach (var offer in framework.Offers)
        {
            offered += offer.Slice.Total;
        }

        w.WriteStartObject();
        WriteFrameworkInfo(w, "framework_info", view.Options, framework);
        w.WriteBoolean("active", framework.Connected && !framework.Suppressed);
        w.WriteBoolean("connected", framework.Connected);
        w.WriteBoolean("recovered", false);
        V1Json.WriteTime(w, "registered_time", framework.RegisteredTime);
        V1Json.WriteTime(w, "reregistered_time", framework.ReregisteredTime ?? framework.RegisteredTime);
        w.WriteStartArray("offers");
        foreach (var offer in framework.Offers)
        {
            w.WriteStartObject();
            V1Json.WriteId(w, "id", offer.Id);
            V1Json.WriteId(w, "framework_id", offer.FrameworkId);
            V1Json.WriteId(w, "agent_id", offer.AgentId);
            string? hostname = agents is not null
                ? agents.TryGetValue(offer.AgentId, out var entry) ? entry.Hostname : null
                : view.Agents.TryGetValue(offer.AgentId, out var agent) ? agent.Hostname : null;
            if (hostname is not null)
            {
                w.WriteString("hostname", hostname);
            }

            V1Json.WriteResourceList(w, "resources", offer.Slice.Total, framework.Role);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        V1Json.WriteResourceList(w, "allocated_resources", used, framework.Role);
        V1Json.WriteResourceList(w, "offered_resources", offered, framework.Role);
        w.WriteEndObject();
    }

    /// <summary>A framework's info as it is now (an event, under the master lock).</summary>
    public static void WriteFrameworkInfo(Utf8JsonWriter w, string? name, MasterCore master, FrameworkEntry framework) =>
        WriteFrameworkInfo(w, name, master.Options, StateViewPublisher.FrameworkOf(framework, [], 0));

    /// <summary>mesos.proto <c>FrameworkInfo</c>.</summary>
    private static void WriteFrameworkInfo(Utf8JsonWriter w, string? name, MasterOptions options, FrameworkView framework)
    {
        if (name is null)
        {
            w.WriteStartObject();
        }
        else
        {
            w.WriteStartObject(name);
        }

        w.WriteString("user", framework.User);
        w.WriteString("name", framework.Name);
        V1Json.WriteId(w, "id", framework.Id);
        w.WriteNumber("failover_timeout", framework.FailoverTimeoutSeconds);
        w.WriteBoolean("checkpoint", framework.Checkpoint);
        w.WriteString("role", framework.Role);
        w.WriteString("hostname", framework.Hostname ?? options.AdvertiseIp);
        if (framework.Principal is not null)
        {
            w.WriteString("principal", framework.Principal);
        }

        if (framework.WebuiUrl is not null)
        {
            w.WriteString("webui_url", framework.WebuiUrl);
        }

        w.WriteEndObject();
    }

    public static void WriteGetAgents(Utf8JsonWriter w, string name, StateIndex index)
    {
        w.WriteStartObject(name);
        w.WriteStartArray("agents");
        foreach (var agent in index.Agents)
        {
            if (agent.Status != AgentStatus.Unreachable)
            {
                WriteAgent(w, agent, index.UsedByAgent.GetValueOrDefault(agent.Id), index.OfferedByAgent.GetValueOrDefault(agent.Id));
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>An agent as it is now (an event, under the master lock).</summary>
    public static void WriteAgent(Utf8JsonWriter w, MasterCore master, AgentEntry agent)
    {
        var used = Resources.Empty;
        foreach (var taskId in agent.TaskIds)
        {
            if (master.Tasks.TryGetValue(taskId, out var task) && !task.State.IsTerminal())
            {
                used += task.Slice.Total;
            }
        }

        WriteAgent(w, StateViewPublisher.AgentOf(agent, master, 0), used, MasterStateWriter.OfferedByAgent(master).GetValueOrDefault(agent.Id));
    }

    /// <summary>master.proto <c>Response.GetAgents.Agent</c>.</summary>
    private static void WriteAgent(Utf8JsonWriter w, AgentView agent, Resources used, Resources offered)
    {
        var total = agent.Total;
        w.WriteStartObject();
        w.WriteStartObject("agent_info");
        w.WriteString("hostname", agent.Hostname);
        w.WriteNumber("port", agent.Port);
        V1Json.WriteAgentResourceList(w, "resources", agent.Declared);
        w.WriteStartArray("attributes");
        foreach (var (key, value) in agent.Attributes)
        {
            w.WriteStartObject();
            w.WriteString("name", key);
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && double.IsFinite(number))
            {
                w.WriteString("type", "SCALAR");
                w.WriteStartObject("scalar");
                w.WriteNumber("value", number);
            }
            else
            {
                w.WriteString("type", "TEXT");
                w.WriteStartObject("text");
                w.WriteString("value", value);
            }

            w.WriteEndObject();
            w.WriteEndObject();
        }

        w.WriteEndArray();
        V1Json.WriteId(w, "id", agent.Id);
        w.WriteEndObject();
        w.WriteBoolean("active", agent.Status == AgentStatus.Active);
        w.WriteBoolean("deactivated", agent.Status != AgentStatus.Active);
        w.WriteString("version", agent.Version);
        w.WriteString("pid", agent.Pid);
        V1Json.WriteTime(w, "registered_time", agent.RegisteredTime);
        if (agent.ReregisteredTime is { } reregistered)
        {
            V1Json.WriteTime(w, "reregistered_time", reregistered);
        }

        V1Json.WriteAgentResourceList(w, "total_resources", total);
        V1Json.WriteResourceList(w, "allocated_resources", used);
        V1Json.WriteResourceList(w, "offered_resources", offered);
        w.WriteStartArray("capabilities");
        foreach (var capability in new[] { "MULTI_ROLE", "RESERVATION_REFINEMENT" })
        {
            w.WriteStartObject();
            w.WriteString("type", capability);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>mesos.proto <c>MasterInfo</c>: <c>ip</c> is the IPv4 address as a uint32 in network byte order, as Mesos writes it.</summary>
    public static void WriteMasterInfo(Utf8JsonWriter w, string name, MasterStateView master)
    {
        var options = master.Options;
        w.WriteStartObject(name);
        w.WriteString("id", master.MasterId);
        uint ip = 0;
        if (IPAddress.TryParse(options.AdvertiseIp, out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork)
        {
            ip = BitConverter.ToUInt32(address.GetAddressBytes());
        }

        w.WriteNumber("ip", ip);
        w.WriteNumber("port", options.Port);
        w.WriteString("pid", options.LeaderPid);
        w.WriteString("hostname", options.Hostname);
        w.WriteString("version", MasterStateWriter.MesosVersion);
        w.WriteStartObject("address");
        w.WriteString("hostname", options.Hostname);
        w.WriteString("ip", options.AdvertiseIp);
        w.WriteNumber("port", options.Port);
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
