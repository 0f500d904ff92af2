using System.Globalization;
using System.Text.Json;
using Minuet.ControlPlane.Allocation;

namespace Minuet.ControlPlane.Master.State;

/// <summary>Agents (<c>slaves[]</c>) and frameworks (<c>frameworks[]</c>) of the state document.</summary>
internal static partial class MasterStateWriter
{
    /// <summary>What is offered on each agent, from the live records (the v1 operator API renders under the lock).</summary>
    internal static Dictionary<string, Resources> OfferedByAgent(MasterCore master)
    {
        var offered = new Dictionary<string, Resources>(StringComparer.Ordinal);
        foreach (var framework in master.Frameworks.Values)
        {
            foreach (var offer in framework.Offers.Values)
            {
                offered[offer.AgentId] = offered.GetValueOrDefault(offer.AgentId) + offer.Slice.Total;
            }
        }

        return offered;
    }

    internal static void WriteAgent(Utf8JsonWriter w, AgentView agent, Resources used, Resources offered)
    {
        var total = agent.Total;
        w.WriteStartObject();
        w.WriteString("id", agent.Id);
        w.WriteString("hostname", agent.Hostname);
        w.WriteNumber("port", agent.Port);
        w.WriteString("pid", agent.Pid);
        w.WriteStartObject("attributes");
        foreach (var (key, value) in agent.Attributes)
        {
            // Mesos prints scalar attributes as numbers, text/ranges/sets as strings.
            if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number) && !double.IsNaN(number) && !double.IsInfinity(number))
            {
                w.WriteNumber(key, number);
            }
            else
            {
                w.WriteString(key, value);
            }
        }

        w.WriteEndObject();
        w.WriteNumber("registered_time", MasterCore.Seconds(agent.RegisteredTime));
        w.WriteNumber("reregistered_time", MasterCore.Seconds(agent.ReregisteredTime ?? agent.RegisteredTime));

        WriteResources(w, "resources", total.Total);
        WriteResources(w, "used_resources", used);
        WriteResources(w, "offered_resources", offered);
        w.WriteStartObject("reserved_resources");
        foreach (var (role, r) in total.Reserved)
        {
            WriteResources(w, role, r);
        }

        w.WriteEndObject();
        WriteResources(w, "unreserved_resources", total.Unreserved);
        w.WriteBoolean("active", agent.Status == AgentStatus.Active);
        w.WriteBoolean("deactivated", agent.Status != AgentStatus.Active);
        w.WriteString("version", agent.Version);
        w.WriteStartArray("capabilities");
        w.WriteStringValue("MULTI_ROLE");
        w.WriteStringValue("RESERVATION_REFINEMENT");
        w.WriteEndArray();
        w.WriteEndObject();
    }

    internal static void WriteFramework(Utf8JsonWriter w, StateIndex index, FrameworkView framework, bool withTasks)
    {
        var live = index.LiveOf(framework.Id);
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
        w.WriteString("id", framework.Id);
        w.WriteString("name", framework.Name);

        // No pid: HTTP-API frameworks have none, and Mesos-DNS rejects the whole document if a pid does not parse.
        w.WriteString("hostname", framework.Hostname ?? index.View.Options.AdvertiseIp);
        if (framework.WebuiUrl is not null)
        {
            w.WriteString("webui_url", framework.WebuiUrl);
        }

        w.WriteBoolean("active", framework.Connected && !framework.Suppressed);
        w.WriteBoolean("connected", framework.Connected);
        w.WriteBoolean("recovered", false);
        w.WriteString("user", framework.User);
        w.WriteNumber("failover_timeout", framework.FailoverTimeoutSeconds);
        w.WriteBoolean("checkpoint", framework.Checkpoint);
        w.WriteString("role", framework.Role);
        if (framework.Principal is not null)
        {
            w.WriteString("principal", framework.Principal);
        }

        w.WriteNumber("registered_time", MasterCore.Seconds(framework.RegisteredTime));
        w.WriteNumber("reregistered_time", MasterCore.Seconds(framework.ReregisteredTime ?? framework.RegisteredTime));

        w.WriteNumber("unregistered_time", 0);
        WriteResources(w, "resources", used + offered);
        WriteResources(w, "used_resources", used);
        WriteResources(w, "offered_resources", offered);
        if (withTasks)
        {
            w.WriteStartArray("tasks");
            foreach (var task in live)
            {
                if (task.State != TaskState.Unreachable)
                {
                    w.WriteRawValue(task.Json, skipInputValidation: true);
                }
            }

            w.WriteEndArray();
            w.WriteStartArray("unreachable_tasks");
            foreach (var task in live)
            {
                if (task.State == TaskState.Unreachable)
                {
                    w.WriteRawValue(task.Json, skipInputValidation: true);
                }
            }

            w.WriteEndArray();
            w.WriteStartArray("completed_tasks");
            foreach (var task in framework.Completed)
            {
                w.WriteRawValue(task.Json, skipInputValidation: true);
            }

            w.WriteEndArray();
            w.WriteStartArray("offers");
            foreach (var offer in framework.Offers)
            {
                w.WriteStartObject();
                w.WriteString("id", offer.Id);
                w.WriteString("framework_id", offer.FrameworkId);
                w.WriteString("slave_id", offer.AgentId);
                WriteResources(w, "resources", offer.Slice.Total);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteStartArray("executors");
            w.WriteEndArray();
        }

        w.WriteStartArray("labels");
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
