using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Minuet.ControlPlane.Allocation;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Master.State;

namespace Minuet.ControlPlane.Api.Operator;

/// <summary>
/// <c>POST /api/v1</c> (also <c>/master/api/v1</c>): Mesos's v1 operator API on the master, JSON only. Calls
/// answer 200 with a Response (<c>{"type", "get_state": {...}}</c>), 202 for RESERVE/UNRESERVE, 200 empty for
/// UPDATE_QUOTA, MARK_AGENT_GONE and TEARDOWN; UNKNOWN is 501 as in Mesos; calls Mesos defines that this master does
/// not serve are 501 with a plain-text reason. SUBSCRIBE is a RecordIO event stream (<see cref="OperatorStream"/>).
/// </summary>
internal static partial class MasterOperatorApi
{
    public const double HeartbeatSeconds = 15;

    /// <summary>Every master Call type Mesos defines (include/mesos/v1/master/master.proto).</summary>
    internal static readonly IReadOnlySet<string> KnownTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "UNKNOWN", "GET_HEALTH", "GET_FLAGS", "GET_VERSION", "GET_METRICS", "GET_LOGGING_LEVEL", "SET_LOGGING_LEVEL",
        "LIST_FILES", "READ_FILE", "GET_STATE", "GET_AGENTS", "GET_FRAMEWORKS", "GET_EXECUTORS", "GET_OPERATIONS",
        "GET_TASKS", "GET_ROLES", "GET_WEIGHTS", "UPDATE_WEIGHTS", "GET_MASTER", "SUBSCRIBE", "RESERVE_RESOURCES",
        "UNRESERVE_RESOURCES", "CREATE_VOLUMES", "DESTROY_VOLUMES", "GROW_VOLUME", "SHRINK_VOLUME",
        "GET_MAINTENANCE_STATUS", "GET_MAINTENANCE_SCHEDULE", "UPDATE_MAINTENANCE_SCHEDULE", "START_MAINTENANCE",
        "STOP_MAINTENANCE", "DRAIN_AGENT", "DEACTIVATE_AGENT", "REACTIVATE_AGENT", "GET_QUOTA", "UPDATE_QUOTA",
        "SET_QUOTA", "REMOVE_QUOTA", "TEARDOWN", "MARK_AGENT_GONE",
    };

    public static void Map(WebApplication app, MasterCore master, OperatorEventHub hub)
    {
        foreach (var path in new[] { "/api/v1", "/master/api/v1" })
        {
            app.Map(path, context => HandleAsync(context, master, hub));
        }
    }

    private static async Task HandleAsync(HttpContext context, MasterCore master, OperatorEventHub hub)
    {
        using var call = await V1Http.ReadCallAsync(context, "master::Call", KnownTypes).ConfigureAwait(false);
        if (call is null)
        {
            return;
        }

        switch (call.Type)
        {
            case "UNKNOWN":
                await V1Http.PlainAsync(context, 501, string.Empty).ConfigureAwait(false);
                return;
            case "GET_HEALTH":
                await V1Http.ResponseAsync(context, call.Type, w =>
                {
                    w.WriteStartObject("get_health");
                    w.WriteBoolean("healthy", master.StoreHealth.Current.IsHealthy);
                    w.WriteEndObject();
                }).ConfigureAwait(false);
                return;
            case "GET_FLAGS":
                await V1Http.ResponseAsync(context, call.Type, w => WriteFlags(w, master.Options)).ConfigureAwait(false);
                return;
            case "GET_VERSION":
                await V1Http.ResponseAsync(context, call.Type, WriteVersion).ConfigureAwait(false);
                return;
            case "GET_STATE":
                await RespondFromViewAsync(context, master, call.Type, (w, index) => MasterV1Writer.WriteGetState(w, "get_state", index)).ConfigureAwait(false);
                return;
            case "GET_AGENTS":
                await RespondFromViewAsync(context, master, call.Type, (w, index) => MasterV1Writer.WriteGetAgents(w, "get_agents", index)).ConfigureAwait(false);
                return;
            case "GET_FRAMEWORKS":
                await RespondFromViewAsync(context, master, call.Type, (w, index) => MasterV1Writer.WriteGetFrameworks(w, "get_frameworks", index)).ConfigureAwait(false);
                return;
            case "GET_EXECUTORS":
                await RespondFromViewAsync(context, master, call.Type, (w, index) => MasterV1Writer.WriteGetExecutors(w, "get_executors", index)).ConfigureAwait(false);
                return;
            case "GET_TASKS":
                await RespondFromViewAsync(context, master, call.Type, (w, index) => MasterV1Writer.WriteGetTasks(w, "get_tasks", index)).ConfigureAwait(false);
                return;
            case "GET_ROLES":
                await RespondLockedAsync(context, master, call.Type, WriteRoles).ConfigureAwait(false);
                return;
            case "GET_MASTER":
                await RespondFromViewAsync(context, master, call.Type, (w, index) =>
                {
                    var m = index.View;
                    w.WriteStartObject("get_master");
                    MasterV1Writer.WriteMasterInfo(w, "master_info", m);
                    w.WriteNumber("start_time", MasterCore.Seconds(m.StartTime));
                    w.WriteNumber("elected_time", MasterCore.Seconds(m.StartTime));
                    w.WriteEndObject();
                }).ConfigureAwait(false);
                return;
            case "GET_QUOTA":
                await RespondLockedAsync(context, master, call.Type, WriteQuota).ConfigureAwait(false);
                return;
            case "UPDATE_QUOTA":
                await UpdateQuotaAsync(context, master, call).ConfigureAwait(false);
                return;
            case "RESERVE_RESOURCES":
            case "UNRESERVE_RESOURCES":
                await ReservationAsync(context, master, call).ConfigureAwait(false);
                return;
            case "MARK_AGENT_GONE":
                await MarkAgentGoneAsync(context, master, call).ConfigureAwait(false);
                return;
            case "TEARDOWN":
                await TeardownAsync(context, master, call).ConfigureAwait(false);
                return;
            case "SUBSCRIBE":
                await OperatorStream.ServeAsync(context, master, hub, HeartbeatSeconds).ConfigureAwait(false);
                return;
            default:
                await V1Http.PlainAsync(context, 501, $"Call type {call.Type} is not supported by this master (see docs/compatibility.md)").ConfigureAwait(false);
                return;
        }
    }

    /// <summary>Renders the last published state view, without the master lock (as <c>/master/state</c> does).</summary>
    private static Task RespondFromViewAsync(HttpContext context, MasterCore master, string type, Action<Utf8JsonWriter, StateIndex> body)
    {
        var index = new StateIndex(master.View);
        var bytes = V1Http.Render(type, w => body(w, index));
        context.Response.StatusCode = 200;
        context.Response.ContentType = V1Http.Json;
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }

    private static Task RespondLockedAsync(HttpContext context, MasterCore master, string type, Action<Utf8JsonWriter, MasterCore> body)
    {
        var bytes = master.Read(m => V1Http.Render(type, w => body(w, m)));
        context.Response.StatusCode = 200;
        context.Response.ContentType = V1Http.Json;
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }

    private static void WriteVersion(Utf8JsonWriter w)
    {
        w.WriteStartObject("get_version");
        w.WriteStartObject("version_info");
        w.WriteString("version", MasterStateWriter.MesosVersion);
        w.WriteString("build_user", "minuet");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>The same flags <c>/master/state</c> shows, as Mesos's <c>[{name, value}]</c>.</summary>
    private static void WriteFlags(Utf8JsonWriter w, MasterOptions options)
    {
        var flags = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["port"] = options.Port.ToString(CultureInfo.InvariantCulture),
            ["hostname"] = options.Hostname,
            ["advertise_ip"] = options.AdvertiseIp,
            ["agent_ping_timeout"] = $"{options.AgentPingTimeout.TotalSeconds}secs",
            ["max_agent_ping_timeouts"] = options.MaxAgentPingTimeouts.ToString(CultureInfo.InvariantCulture),
            ["allocation_interval"] = $"{options.AllocationInterval.TotalSeconds}secs",
            ["agent_reregister_timeout"] = $"{options.AgentReregisterTimeout.TotalMinutes}mins",
            ["offer_timeout"] = options.OfferTimeout is { } t ? $"{t.TotalSeconds}secs" : "0secs",
            ["min_allocatable_resources"] = $"cpus:{options.Allocator.MinAllocatableCpus}|mem:{options.Allocator.MinAllocatableMem}",
            ["framework_sorter"] = "drf",
            ["role_sorter"] = "drf",
        };
        w.WriteStartObject("get_flags");
        w.WriteStartArray("flags");
        foreach (var (name, value) in flags)
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteString("value", value);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>Roles with frameworks, reservations or quota: name, weight, frameworks and what they hold.</summary>
    private static void WriteRoles(Utf8JsonWriter w, MasterCore master)
    {
        var roles = new SortedDictionary<string, (List<string> Frameworks, Resources Allocated)>(StringComparer.Ordinal);
        foreach (var framework in master.Frameworks.Values)
        {
            var entry = roles.GetValueOrDefault(framework.Role, ([], Resources.Empty));
            entry.Frameworks.Add(framework.Id);
            foreach (var task in framework.Tasks.Values)
            {
                if (task.State != TaskState.Unreachable)
                {
                    entry.Allocated += task.Slice.Total;
                }
            }

            roles[framework.Role] = entry;
        }

        foreach (var agent in master.Agents.Values)
        {
            foreach (var role in (master.Allocator.TotalOf(agent.Id) ?? agent.Declared).Reserved.Keys)
            {
                roles.TryAdd(role, ([], Resources.Empty));
            }
        }

        foreach (var role in master.QuotaConfigs.Keys)
        {
            roles.TryAdd(role, ([], Resources.Empty));
        }

        w.WriteStartObject("get_roles");
        w.WriteStartArray("roles");
        foreach (var (name, (frameworks, allocated)) in roles)
        {
            w.WriteStartObject();
            w.WriteString("name", name);
            w.WriteNumber("weight", master.Allocator.WeightOf(name));
            if (frameworks.Count > 0)
            {
                w.WriteStartArray("frameworks");
                foreach (var id in frameworks)
                {
                    w.WriteStartObject();
                    w.WriteString("value", id);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            V1Json.WriteResourceList(w, "resources", allocated, name);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    /// <summary>quota.proto <c>QuotaStatus</c>: <c>configs</c>, and the legacy <c>infos</c> for roles with a guarantee.</summary>
    private static void WriteQuota(Utf8JsonWriter w, MasterCore master)
    {
        w.WriteStartObject("get_quota");
        w.WriteStartObject("status");
        var withGuarantee = master.QuotaConfigs.Where(q => !q.Value.Guarantee.IsEmpty).ToList();
        if (withGuarantee.Count > 0)
        {
            w.WriteStartArray("infos");
            foreach (var (role, quota) in withGuarantee)
            {
                w.WriteStartObject();
                w.WriteString("role", role);
                V1Json.WriteResourceList(w, "guarantee", quota.Guarantee);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        if (master.QuotaConfigs.Count > 0)
        {
            w.WriteStartArray("configs");
            foreach (var (role, quota) in master.QuotaConfigs.OrderBy(q => q.Key, StringComparer.Ordinal))
            {
                w.WriteStartObject();
                w.WriteString("role", role);
                if (!quota.Guarantee.IsEmpty)
                {
                    V1Json.WriteScalarMap(w, "guarantees", quota.Guarantee);
                }

                if (quota.Limit is { } limit)
                {
                    V1Json.WriteScalarMap(w, "limits", limit);
                }

                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
        w.WriteEndObject();
    }
}
