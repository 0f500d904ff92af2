using System.Globalization;
using System.Net;
using System.Text.Json;
using Minuet.ControlPlane.Allocation;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Master.State;

namespace Minuet.ControlPlane.Api.Operator;

/// <summary>
/// The master's half of Mesos's v1 operator messages (include/mesos/v1/master/master.proto <c>Response</c>):
/// <c>get_state</c> and its four parts, agents, frameworks and the master's info. Call under the master lock.
/// </summary>
internal static class MasterV1Writer
{
    public static void WriteGetState(Utf8JsonWriter w, string name, MasterCore master)
    {
        w.WriteStartObject(name);
        WriteGetTasks(w, "get_tasks", master);
        WriteGetExecutors(w, "get_executors", master);
        WriteGetFrameworks(w, "get_frameworks", master);
        WriteGetAgents(w, "get_agents", master);
        w.WriteEndObject();
    }

    public static void WriteGetTasks(Utf8JsonWriter w, string name, MasterCore master)
    {
        w.WriteStartObject(name);
        w.WriteStartArray("tasks");
        foreach (var framework in master.Frameworks.Values)
        {
            foreach (var task in framework.Tasks.Values)
            {
                if (task.State != TaskState.Unreachable)
                {
                    WriteTask(w, task);
                }
            }
        }

        w.WriteEndArray();
        w.WriteStartArray("unreachable_tasks");
        foreach (var framework in master.Frameworks.Values)
        {
            foreach (var task in framework.Tasks.Values)
            {
                if (task.State == TaskState.Unreachable)
                {
                    WriteTask(w, task);
                }
            }
        }

        w.WriteEndArray();
        w.WriteStartArray("completed_tasks");
        foreach (var framework in master.Frameworks.Values)
        {
            foreach (var task in framework.CompletedTasks)
            {
                WriteTask(w, task);
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteTask(Utf8JsonWriter w, TaskEntry task) =>
        V1Json.WriteTask(w, task.Launch, task.State.ToMesosName(), task.Statuses, task.Slice.Total);

    /// <summary>Custom executors of live tasks, one per (framework, executor id, agent).</summary>
    public static void WriteGetExecutors(Utf8JsonWriter w, string name, MasterCore master)
    {
        w.WriteStartObject(name);
        w.WriteStartArray("executors");
        var seen = new HashSet<(string, string, string)>();
        foreach (var task in master.Tasks.Values)
        {
            if (task.Launch.Executor is { } executor && !task.State.IsTerminal()
                && seen.Add((task.FrameworkId, executor.ExecutorId, task.AgentId)))
            {
                w.WriteStartObject();
                V1Json.WriteExecutorInfo(w, "executor_info", executor, task.FrameworkId);
                V1Json.WriteId(w, "agent_id", task.AgentId);
                w.WriteEndObject();
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteGetFrameworks(Utf8JsonWriter w, string name, MasterCore master)
    {
        w.WriteStartObject(name);
        w.WriteStartArray("frameworks");
        foreach (var framework in master.Frameworks.Values)
        {
            WriteFramework(w, master, framework);
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>master.proto <c>Response.GetFrameworks.Framework</c>.</summary>
    public static void WriteFramework(Utf8JsonWriter w, MasterCore master, FrameworkEntry framework)
    {
        var used = Resources.Empty;
        foreach (var task in framework.Tasks.Values)
        {
            if (task.State != TaskState.Unreachable)
            {
                used += task.Slice.Total;
            }
        }

        var offered = Resources.Empty;
        foreach (var offer in framework.Offers.Values)
        {
            offered += offer.Slice.Total;
        }

        w.WriteStartObject();
        WriteFrameworkInfo(w, "framework_info", master, framework);
        w.WriteBoolean("active", framework.Connected && !framework.Suppressed);
        w.WriteBoolean("connected", framework.Connected);
        w.WriteBoolean("recovered", false);
        V1Json.WriteTime(w, "registered_time", framework.RegisteredTime);
        V1Json.WriteTime(w, "reregistered_time", framework.ReregisteredTime ?? framework.RegisteredTime);
        w.WriteStartArray("offers");
        foreach (var offer in framework.Offers.Values)
        {
            w.WriteStartObject();
            V1Json.WriteId(w, "id", offer.Id);
            V1Json.WriteId(w, "framework_id", offer.FrameworkId);
            V1Json.WriteId(w, "agent_id", offer.AgentId);
            if (master.Agents.TryGetValue(offer.AgentId, out var agent))
            {
                w.WriteString("hostname", agent.Hostname);
            }

            V1Json.WriteResourceList(w, "resources", offer.Slice.Total, framework.Role);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        V1Json.WriteResourceList(w, "allocated_resources", used, framework.Role);
        V1Json.WriteResourceList(w, "offered_resources", offered, framework.Role);
        w.WriteEndObject();
    }

    /// <summary>mesos.proto <c>FrameworkInfo</c>.</summary>
    public static void WriteFrameworkInfo(Utf8JsonWriter w, string? name, MasterCore master, FrameworkEntry framework)
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
        w.WriteString("hostname", framework.Hostname ?? master.Options.AdvertiseIp);
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

    public static void WriteGetAgents(Utf8JsonWriter w, string name, MasterCore master)
    {
        w.WriteStartObject(name);
        w.WriteStartArray("agents");
        foreach (var agent in master.Agents.Values)
        {
            if (agent.Status != AgentStatus.Unreachable)
            {
                WriteAgent(w, master, agent);
            }
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>master.proto <c>Response.GetAgents.Agent</c>.</summary>
    public static void WriteAgent(Utf8JsonWriter w, MasterCore master, AgentEntry agent)
    {
        var total = master.Allocator.TotalOf(agent.Id) ?? agent.Declared;
        var used = Resources.Empty;
        foreach (var taskId in agent.TaskIds)
        {
            if (master.Tasks.TryGetValue(taskId, out var task) && !task.State.IsTerminal())
            {
                used += task.Slice.Total;
            }
        }

        var offered = MasterStateWriter.OfferedByAgent(master).GetValueOrDefault(agent.Id);
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
    public static void WriteMasterInfo(Utf8JsonWriter w, string name, MasterCore master)
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
