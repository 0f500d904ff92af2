using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler.Tasks;

namespace Minuet.ControlPlane.Scheduler.Http;

/// <summary><c>/v2/tasks</c>, <c>/v2/tasks/delete</c> and <c>/v2/apps/{id}/tasks[/{taskId}]</c>.</summary>
internal static partial class MarathonApi
{
    private static void MapTasks(WebApplication app, SchedulerCore core)
    {
        app.MapGet("/v2/tasks", context =>
        {
            var states = context.Request.Query["status"].Select(s => "TASK_" + (s ?? string.Empty).ToUpperInvariant()).ToHashSet(StringComparer.Ordinal);
            return WriteTasksAsync(context, core, t => states.Count == 0 || states.Contains(t.State.ToMesosName()), null);
        });
        app.MapPost("/v2/tasks/delete", context => DeleteTasksAsync(context, core));
    }

    private static async Task AppTasksAsync(HttpContext context, SchedulerCore core, string appId, string? taskId)
    {
        bool exists = core.Read(view => view.Apps.TryGetValue(appId, out var a) && !a.Deleted);
        if (!exists)
        {
            await HttpReplies.MessageAsync(context, 404, $"App '{appId}' does not exist").ConfigureAwait(false);
            return;
        }

        if (context.Request.Method == "GET")
        {
            await WriteTasksAsync(context, core, t => t.AppId == appId, appId).ConfigureAwait(false);
            return;
        }

        if (context.Request.Method != "DELETE")
        {
            await HttpReplies.MessageAsync(context, 405, $"{context.Request.Method} is not allowed here").ConfigureAwait(false);
            return;
        }

        string? host = context.Request.Query["host"];
        var ids = core.Read(view => view.Apps[appId].Tasks.Values
            .Where(t => t.IsLive && (taskId is null || t.Id == taskId) && (host is null || t.Host == host))
            .Select(t => t.Id).ToList());
        if (taskId is not null && ids.Count == 0)
        {
            await HttpReplies.MessageAsync(context, 404, $"Task '{taskId}' does not exist").ConfigureAwait(false);
            return;
        }

        await KillAndAnswerAsync(context, core, ids).ConfigureAwait(false);
    }

    private static async Task DeleteTasksAsync(HttpContext context, SchedulerCore core)
    {
        using var doc = await HttpReplies.ReadJsonAsync(context).ConfigureAwait(false);
        if (doc is null)
        {
            return;
        }

        var ids = new List<string>();
        if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("ids", out var list) || list.ValueKind != JsonValueKind.Array ||
            list.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
        {
            await HttpReplies.FailureAsync(context, ChangeResult.Invalid([new("/ids", ["must be an array of task ids"])])).ConfigureAwait(false);
            return;
        }

        ids.AddRange(list.EnumerateArray().Select(e => e.GetString()!));
        await KillAndAnswerAsync(context, core, ids).ConfigureAwait(false);
    }

    private static async Task KillAndAnswerAsync(HttpContext context, SchedulerCore core, List<string> ids)
    {
        bool scale = HttpReplies.Flag(context, "scale");
        var killed = core.Read(view => view.Apps.Values.SelectMany(a => a.Tasks.Values).Where(t => ids.Contains(t.Id)).ToList());
        var result = core.KillTasks(ids, scale, HttpReplies.Flag(context, "force"));
        if (!result.IsSuccess || result.Deployment is not null)
        {
            await HttpReplies.ChangeAsync(context, result).ConfigureAwait(false);
            return;
        }

        await HttpReplies.JsonAsync(context, 200, w =>
        {
            w.WriteStartObject();
            w.WriteStartArray("tasks");
            foreach (var t in killed)
            {
                MarathonJson.WriteTask(w, t);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }).ConfigureAwait(false);
    }

    /// <summary>JSON <c>{"tasks":[...]}</c>, or with <c>Accept: text/plain</c> Marathon's lines <c>appId servicePort host:port ...</c>.</summary>
    private static Task WriteTasksAsync(HttpContext context, SchedulerCore core, Func<SchedulerTask, bool> filter, string? appId)
    {
        if (context.Request.Headers.Accept.ToString().Contains("text/plain", StringComparison.Ordinal))
        {
            var text = core.Read(view =>
            {
                var sb = new StringBuilder();
                foreach (var app in view.VisibleApps.Where(a => appId is null || a.Definition.Id == appId))
                {
                    var tasks = app.Tasks.Values.Where(t => t.IsRunning).ToList();
                    var ports = app.Definition.Ports;
                    for (int i = 0; i < Math.Max(1, ports.Count); i++)
                    {
                        sb.Append(app.Definition.Id.TrimStart('/').Replace('/', '_')).Append('\t').Append(ports.Count > 0 ? ports[i].ServicePort : 0);
                        foreach (var t in tasks)
                        {
                            sb.Append('\t').Append(t.Host).Append(':').Append(i < t.Ports.Count ? t.Ports[i] : 0);
                        }

                        sb.Append('\n');
                    }
                }

                return sb.ToString();
            });
            context.Response.ContentType = "text/plain";
            return context.Response.WriteAsync(text, context.RequestAborted);
        }

        return HttpReplies.JsonAsync(context, 200, w => core.Read(view =>
        {
            w.WriteStartObject();
            w.WriteStartArray("tasks");
            foreach (var task in view.Apps.Values.Where(a => !a.Deleted).SelectMany(a => a.Tasks.Values).Where(filter).OrderBy(t => t.AppId, StringComparer.Ordinal).ThenBy(t => t.StagedAt))
            {
                MarathonJson.WriteTask(w, task);
            }

            w.WriteEndArray();
            w.WriteEndObject();
            return 0;
        }));
    }
}
