using System.Buffers;
using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Master.State;

namespace Minuet.ControlPlane.Api.Operator;

/// <summary>
/// Mesos's v0 read-only endpoints beside <c>/master/state</c> (src/master/readonly_handler.cpp), with the same
/// objects the state document holds: <c>/master/slaves</c> (<c>?slave_id=</c>), <c>/master/frameworks</c>
/// (<c>?framework_id=</c>) and <c>/master/tasks</c> (<c>limit</c> default 100, <c>offset</c>, <c>order=asc|des</c>
/// by the task's earliest status time, <c>framework_id</c>, <c>task_id</c>; live, unreachable and completed tasks).
/// </summary>
internal static class MasterV0Endpoints
{
    private const int TaskLimit = 100;

    public static void Map(WebApplication app, MasterCore master)
    {
        foreach (var prefix in new[] { "/master", string.Empty })
        {
            app.MapGet(prefix + "/slaves", context => WriteAsync(context, master, Slaves));
            app.MapGet(prefix + "/frameworks", context => WriteAsync(context, master, Frameworks));
            app.MapGet(prefix + "/tasks", context => WriteAsync(context, master, Tasks));
        }
    }

    private static Task WriteAsync(HttpContext context, MasterCore master, Action<Utf8JsonWriter, StateIndex, IQueryCollection> body)
    {
        var query = context.Request.Query;

        // From the master's published view: these never take the master lock.
        var index = new StateIndex(master.View);
        var buffer = new ArrayBufferWriter<byte>(4096);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            body(w, index, query);
            w.WriteEndObject();
        }

        var bytes = buffer.WrittenSpan.ToArray();
        context.Response.ContentType = "application/json";
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }

    private static void Slaves(Utf8JsonWriter w, StateIndex index, IQueryCollection query)
    {
        string? only = query.TryGetValue("slave_id", out var id) ? id.ToString() : null;
        w.WriteStartArray("slaves");
        foreach (var agent in index.Agents)
        {
            if (agent.Status != AgentStatus.Unreachable && (only is null || only == agent.Id))
            {
                MasterStateWriter.WriteAgent(w, agent, index.UsedByAgent.GetValueOrDefault(agent.Id), index.OfferedByAgent.GetValueOrDefault(agent.Id));
            }
        }

        w.WriteEndArray();
        w.WriteStartArray("recovered_slaves");
        w.WriteEndArray();
    }

    private static void Frameworks(Utf8JsonWriter w, StateIndex index, IQueryCollection query)
    {
        string? only = query.TryGetValue("framework_id", out var id) ? id.ToString() : null;
        w.WriteStartArray("frameworks");
        foreach (var framework in index.Frameworks)
        {
            if (only is null || only == framework.Id)
            {
                MasterStateWriter.WriteFramework(w, index, framework, withTasks: true);
            }
        }

        w.WriteEndArray();
        w.WriteStartArray("completed_frameworks");
        w.WriteEndArray();
        w.WriteStartArray("unregistered_frameworks");
        w.WriteEndArray();
    }

    private static void Tasks(Utf8JsonWriter w, StateIndex index, IQueryCollection query)
    {
        // Mesos falls back to the defaults when a number does not parse.
        int limit = Number(query, "limit") is { } l and >= 0 ? l : TaskLimit;
        int offset = Number(query, "offset") is { } o and >= 0 ? o : 0;
        bool ascending = query.TryGetValue("order", out var order) && order == "asc";
        string? frameworkId = query.TryGetValue("framework_id", out var f) ? f.ToString() : null;
        string? taskId = query.TryGetValue("task_id", out var t) ? t.ToString() : null;

        var tasks = new List<TaskView>();
        foreach (var framework in index.Frameworks)
        {
            if (frameworkId is not null && frameworkId != framework.Id)
            {
                continue;
            }

            foreach (var task in index.LiveOf(framework.Id).Concat(framework.Completed))
            {
                if (taskId is null || taskId == task.Id)
                {
                    tasks.Add(task);
                }
            }
        }

        // TaskComparator: the earliest status's timestamp (tasks without one sort by their launch).
        static double Started(TaskView task) => task.Started;
        var sorted = ascending
            ? tasks.OrderBy(Started).ThenBy(x => x.Id, StringComparer.Ordinal)
            : tasks.OrderByDescending(Started).ThenByDescending(x => x.Id, StringComparer.Ordinal);
        w.WriteStartArray("tasks");
        foreach (var task in sorted.Skip(offset).Take(limit))
        {
            w.WriteRawValue(task.Json, skipInputValidation: true);
        }

        w.WriteEndArray();
    }

    private static int? Number(IQueryCollection query, string name) =>
        query.TryGetValue(name, out var value) && int.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) ? n : null;
}
