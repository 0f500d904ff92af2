using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Minuet.ControlPlane.Agent.Runtime;
using Minuet.ControlPlane.Api.Operator;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Master.State;

namespace Minuet.ControlPlane.Agent.Operator;

/// <summary>
/// The agent's operator API, <c>POST /api/v1</c> and <c>/slave(1)/api/v1</c> (include/mesos/v1/agent/agent.proto),
/// JSON only: GET_HEALTH, GET_FLAGS, GET_VERSION, GET_STATE, GET_TASKS, GET_FRAMEWORKS, GET_EXECUTORS, GET_AGENT.
/// Container calls (GET_CONTAINERS, LAUNCH_NESTED_CONTAINER, ...) and the rest answer 501 with the reason; UNKNOWN
/// is 501 as in Mesos. Also the v0 state document at <c>/state</c>, <c>/state.json</c> and <c>/slave(1)/state</c>.
/// </summary>
internal static class AgentOperatorApi
{
    private static readonly IReadOnlySet<string> KnownTypes = new HashSet<string>(StringComparer.Ordinal)
    {
        "UNKNOWN", "GET_HEALTH", "GET_FLAGS", "GET_VERSION", "GET_METRICS", "GET_LOGGING_LEVEL", "SET_LOGGING_LEVEL",
        "LIST_FILES", "READ_FILE", "GET_STATE", "GET_CONTAINERS", "GET_FRAMEWORKS", "GET_EXECUTORS", "GET_OPERATIONS",
        "GET_TASKS", "GET_AGENT", "GET_RESOURCE_PROVIDERS", "ADD_RESOURCE_PROVIDER_CONFIG", "UPDATE_RESOURCE_PROVIDER_CONFIG",
        "REMOVE_RESOURCE_PROVIDER_CONFIG", "MARK_RESOURCE_PROVIDER_GONE", "PRUNE_IMAGES", "LAUNCH_NESTED_CONTAINER",
        "WAIT_NESTED_CONTAINER", "KILL_NESTED_CONTAINER", "REMOVE_NESTED_CONTAINER", "LAUNCH_NESTED_CONTAINER_SESSION",
        "ATTACH_CONTAINER_INPUT", "ATTACH_CONTAINER_OUTPUT", "LAUNCH_CONTAINER", "WAIT_CONTAINER", "KILL_CONTAINER",
        "REMOVE_CONTAINER",
    };

    public static void Map(WebApplication app, AgentRuntime runtime, Func<AgentDescription> describe)
    {
        foreach (var path in new[] { "/api/v1", "/slave(1)/api/v1" })
        {
            app.Map(path, context => HandleAsync(context, runtime, describe()));
        }

        foreach (var path in new[] { "/state", "/state.json", "/slave(1)/state", "/slave(1)/state.json" })
        {
            app.MapGet(path, async context =>
            {
                var bytes = AgentStateWriter.Render(runtime, describe());
                context.Response.ContentType = "application/json";
                context.Response.ContentLength = bytes.Length;
                await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
            });
        }
    }

    private static async Task HandleAsync(HttpContext context, AgentRuntime runtime, AgentDescription agent)
    {
        using var call = await V1Http.ReadCallAsync(context, "agent::Call", KnownTypes).ConfigureAwait(false);
        if (call is null)
        {
            return;
        }

        Action<Utf8JsonWriter>? body = call.Type switch
        {
            "GET_HEALTH" => w =>
            {
                w.WriteStartObject("get_health");
                w.WriteBoolean("healthy", true);
                w.WriteEndObject();
            },
            "GET_FLAGS" => w => WriteFlags(w, runtime, agent),
            "GET_VERSION" => w =>
            {
                w.WriteStartObject("get_version");
                w.WriteStartObject("version_info");
                w.WriteString("version", MasterStateWriter.MesosVersion);
                w.WriteString("build_user", "minuet");
                w.WriteEndObject();
                w.WriteEndObject();
            },
            "GET_STATE" => w =>
            {
                var tasks = runtime.TaskViews();
                var executors = runtime.ExecutorViews();
                w.WriteStartObject("get_state");
                AgentV1Writer.WriteGetTasks(w, tasks);
                AgentV1Writer.WriteGetExecutors(w, executors);
                AgentV1Writer.WriteGetFrameworks(w, tasks, executors);
                w.WriteEndObject();
            },
            "GET_TASKS" => w => AgentV1Writer.WriteGetTasks(w, runtime.TaskViews()),
            "GET_EXECUTORS" => w => AgentV1Writer.WriteGetExecutors(w, runtime.ExecutorViews()),
            "GET_FRAMEWORKS" => w => AgentV1Writer.WriteGetFrameworks(w, runtime.TaskViews(), runtime.ExecutorViews()),
            "GET_AGENT" => w =>
            {
                w.WriteStartObject("get_agent");
                AgentV1Writer.WriteAgentInfo(w, runtime, agent);
                w.WriteEndObject();
            },
            _ => null,
        };

        if (body is not null)
        {
            await V1Http.ResponseAsync(context, call.Type, body).ConfigureAwait(false);
            return;
        }

        string message = call.Type == "UNKNOWN" ? string.Empty : call.Type.Contains("CONTAINER", StringComparison.Ordinal)
            ? $"Call type {call.Type} is not supported: this agent has no nested containers (see docs/compatibility.md)"
            : $"Call type {call.Type} is not supported by this agent (see docs/compatibility.md)";
        await V1Http.PlainAsync(context, 501, message).ConfigureAwait(false);
    }

    private static void WriteFlags(Utf8JsonWriter w, AgentRuntime runtime, AgentDescription agent)
    {
        var flags = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["hostname"] = agent.Hostname,
            ["port"] = agent.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["master"] = agent.Master.ToString(),
            ["work_dir"] = runtime.Store.WorkDir,
            ["isolation"] = runtime.Isolation.Isolation,
            ["executor_registration_timeout"] = $"{runtime.Options.ExecutorRegistrationTimeout.TotalSeconds}secs",
            ["executor_shutdown_grace_period"] = $"{runtime.Options.DefaultKillGrace.TotalSeconds}secs",
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
}
