using System.Buffers;
using System.Text.Json;
using Minuet.ControlPlane.Allocation;

namespace Minuet.ControlPlane.Master.State;

/// <summary>
/// Renders <c>GET /master/state</c> in Mesos's JSON shape (apache/mesos src/master/readonly_handler.cpp and
/// src/common/http.cpp) from the master's published <see cref="MasterStateView"/> with a <see cref="Utf8JsonWriter"/>: <c>leader</c> is
/// <c>master@IP:port</c>, agent <c>pid</c>s are <c>slave(1)@IP:port</c>, ports are range strings, labels are
/// <c>{key,value}</c> arrays, and <c>pid</c> is left out rather than written empty. Never takes the master lock.
/// </summary>
internal static partial class MasterStateWriter
{
    /// <summary>The Mesos version consumers see; the document follows the 1.x shape.</summary>
    public const string MesosVersion = "1.11.0";

    private static int s_lastSize = 64 * 1024;

    /// <summary>The document for the master's current view (tests, benchmarks); the HTTP endpoint goes through <see cref="StateDocumentCache"/>.</summary>
    public static byte[] Render(MasterCore master) => Render(master.View);

    public static byte[] Render(MasterStateView view)
    {
        // Start at the last document's size so a large cluster does not regrow the buffer a dozen times.
        var buffer = new ArrayBufferWriter<byte>(Volatile.Read(ref s_lastSize) + 4096);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            WriteState(writer, new StateIndex(view));
        }

        Volatile.Write(ref s_lastSize, buffer.WrittenCount);
        return buffer.WrittenSpan.ToArray();
    }

    public static void WriteState(Utf8JsonWriter w, StateIndex index)
    {
        var view = index.View;
        var options = view.Options;
        var pid = options.LeaderPid;
        w.WriteStartObject();
        w.WriteString("version", MesosVersion);
        w.WriteString("minuet_version", "0.1.0");
        w.WriteNumber("start_time", MasterCore.Seconds(view.StartTime));
        w.WriteNumber("elected_time", MasterCore.Seconds(view.ElectedTime ?? view.StartTime));
        w.WriteString("id", view.MasterId);
        w.WriteString("pid", pid);
        w.WriteString("hostname", options.Hostname);
        w.WriteString("leader", pid);
        w.WriteStartObject("leader_info");
        w.WriteString("id", view.MasterId);
        w.WriteString("pid", pid);
        w.WriteNumber("port", options.Port);
        w.WriteString("hostname", options.Hostname);
        w.WriteString("ip", options.AdvertiseIp);
        w.WriteString("address", options.AdvertiseIp);
        w.WriteEndObject();

        int active = 0, recovered = 0, unreachable = 0;
        foreach (var agent in index.Agents)
        {
            switch (agent.Status)
            {
                case AgentStatus.Active: active++; break;
                case AgentStatus.Recovered: recovered++; break;
                default: unreachable++; break;
            }
        }

        w.WriteNumber("activated_slaves", active);
        w.WriteNumber("deactivated_slaves", recovered);
        w.WriteNumber("unreachable_slaves", unreachable);
        WriteTaskCounts(w, index.Counts);
        WriteFlags(w, options);

        w.WriteStartArray("slaves");
        foreach (var agent in index.Agents)
        {
            // Unreachable agents leave the list as in Mesos; recovered ones stay (inactive) so their tasks keep an IP.
            if (agent.Status != AgentStatus.Unreachable)
            {
                WriteAgent(w, agent, index.UsedByAgent.GetValueOrDefault(agent.Id), index.OfferedByAgent.GetValueOrDefault(agent.Id));
            }
        }

        w.WriteEndArray();
        w.WriteStartArray("recovered_slaves");
        w.WriteEndArray();

        w.WriteStartArray("frameworks");
        foreach (var framework in index.Frameworks)
        {
            WriteFramework(w, index, framework, withTasks: true);
        }

        w.WriteEndArray();
        w.WriteStartArray("completed_frameworks");
        w.WriteEndArray();
        w.WriteStartArray("orphan_tasks");
        w.WriteEndArray();
        w.WriteStartArray("unregistered_frameworks");
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteTaskCounts(Utf8JsonWriter w, int[] counts)
    {
        w.WriteNumber("staged_tasks", counts[(int)TaskState.Staging]);
        w.WriteNumber("started_tasks", counts[(int)TaskState.Starting]);
        w.WriteNumber("running_tasks", counts[(int)TaskState.Running]);
        w.WriteNumber("killing_tasks", counts[(int)TaskState.Killing]);
        w.WriteNumber("finished_tasks", counts[(int)TaskState.Finished]);
        w.WriteNumber("killed_tasks", counts[(int)TaskState.Killed]);
        w.WriteNumber("failed_tasks", counts[(int)TaskState.Failed]);
        w.WriteNumber("lost_tasks", counts[(int)TaskState.Lost]);
        w.WriteNumber("error_tasks", counts[(int)TaskState.Error]);
        w.WriteNumber("unreachable_tasks", counts[(int)TaskState.Unreachable]);
    }

    private static void WriteFlags(Utf8JsonWriter w, MasterOptions options)
    {
        w.WriteStartObject("flags");
        w.WriteString("port", options.Port.ToString(System.Globalization.CultureInfo.InvariantCulture));
        w.WriteString("hostname", options.Hostname);
        w.WriteString("agent_ping_timeout", $"{options.AgentPingTimeout.TotalSeconds}secs");
        w.WriteString("max_agent_ping_timeouts", options.MaxAgentPingTimeouts.ToString(System.Globalization.CultureInfo.InvariantCulture));
        w.WriteString("allocation_interval", $"{options.AllocationInterval.TotalSeconds}secs");
        w.WriteString("agent_reregister_timeout", $"{options.AgentReregisterTimeout.TotalMinutes}mins");
        w.WriteString("min_allocatable_resources", $"cpus:{options.Allocator.MinAllocatableCpus}|mem:{options.Allocator.MinAllocatableMem}");
        w.WriteString("framework_sorter", "drf");
        w.WriteString("role_sorter", "drf");
        w.WriteEndObject();
    }

    /// <summary>A resources object as Mesos writes it: cpus, gpus, mem, disk always; ports as a range string when present.</summary>
    internal static void WriteResources(Utf8JsonWriter w, string name, Resources r)
    {
        w.WriteStartObject(name);
        WriteResourceFields(w, r);
        w.WriteEndObject();
    }

    internal static void WriteResourceFields(Utf8JsonWriter w, Resources r)
    {
        w.WriteNumber("cpus", r.Cpus);
        w.WriteNumber("gpus", 0);
        w.WriteNumber("mem", r.Mem);
        w.WriteNumber("disk", r.Disk);
        if (!r.Ports.IsEmpty)
        {
            w.WriteString("ports", r.Ports.ToString());
        }
    }
}
