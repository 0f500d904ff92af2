using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler.Apps;
using Minuet.ControlPlane.Scheduler.Validation;

namespace Minuet.ControlPlane.Scheduler.Http;

/// <summary><c>/v2/apps</c>: list, create, update (PUT/PATCH), delete, restart, tasks, versions. App ids hold slashes.</summary>
internal static partial class MarathonApi
{
    private static void MapApps(WebApplication app, SchedulerCore core)
    {
        app.MapGet("/v2/apps", context => ListAppsAsync(context, core));
        app.MapPost("/v2/apps", context => CreateAppAsync(context, core));
        app.MapPut("/v2/apps", context => PutAppsAsync(context, core));
        app.MapPatch("/v2/apps", context => PutAppsAsync(context, core));
        app.MapMethods("/v2/apps/{**path}", ["GET", "PUT", "PATCH", "DELETE", "POST"], context => AppPathAsync(context, core));
    }

    private static Task ListAppsAsync(HttpContext context, SchedulerCore core)
    {
        var embed = context.Request.Query["embed"].Select(e => e ?? string.Empty).ToHashSet(StringComparer.Ordinal);
        string? idFilter = context.Request.Query["id"];
        string? cmdFilter = context.Request.Query["cmd"];
        string? label = context.Request.Query["label"];
        return HttpReplies.JsonAsync(context, 200, w => core.Read(view =>
        {
            w.WriteStartObject();
            w.WriteStartArray("apps");
            foreach (var state in view.VisibleApps)
            {
                var def = state.Definition;
                if ((idFilter is not null && !def.Id.Contains(idFilter, StringComparison.OrdinalIgnoreCase)) ||
                    (cmdFilter is not null && def.Cmd?.Contains(cmdFilter, StringComparison.Ordinal) != true) ||
                    (label is not null && !LabelMatches(def, label)))
                {
                    continue;
                }

                MarathonJson.WriteApp(w, state, view.DeploymentsOf(def.Id), embed.Contains("apps.tasks"), embed.Contains("apps.lastTaskFailure"));
            }

            w.WriteEndArray();
            w.WriteEndObject();
            return 0;
        }));
    }

    /// <summary>Label selectors: <c>key</c>, <c>key==value</c>, <c>key!=value</c> (comma-separated, all must hold).</summary>
    private static bool LabelMatches(AppDefinition app, string selector) =>
        selector.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).All(s =>
        {
            if (s.Split("!=", 2) is [var nk, var nv])
            {
                return app.Labels.GetValueOrDefault(nk.Trim()) != nv.Trim();
            }

            if (s.Split("==", 2) is [var k, var v])
            {
                return app.Labels.GetValueOrDefault(k.Trim()) == v.Trim();
            }

            return app.Labels.ContainsKey(s);
        });

    private static async Task CreateAppAsync(HttpContext context, SchedulerCore core)
    {
        using var doc = await HttpReplies.ReadJsonAsync(context).ConfigureAwait(false);
        if (doc is null)
        {
            return;
        }

        var errors = new FieldErrorList();
        var parsed = AppParser.Parse(doc.RootElement, string.Empty, "/", errors, admission: core.Admission);
        if (parsed is null)
        {
            await HttpReplies.FailureAsync(context, ChangeResult.Invalid(errors.ToList())).ConfigureAwait(false);
            return;
        }

        var result = core.CreateApp(parsed, HttpReplies.Flag(context, "force"));
        if (!result.IsSuccess)
        {
            await HttpReplies.FailureAsync(context, result).ConfigureAwait(false);
            return;
        }

        context.Response.Headers.Location = "/v2/apps" + parsed.Id;
        if (result.Deployment is { } plan)
        {
            context.Response.Headers["Marathon-Deployment-Id"] = plan.Id;
        }

        await HttpReplies.JsonAsync(context, 201, w => core.Read(view =>
        {
            MarathonJson.WriteApp(w, view.Apps[parsed.Id], view.DeploymentsOf(parsed.Id), embedTasks: false, embedFailure: false);
            return 0;
        })).ConfigureAwait(false);
    }

    /// <summary>PUT/PATCH /v2/apps with an array: each app created or (partially, by default) updated, one deployment.</summary>
    private static async Task PutAppsAsync(HttpContext context, SchedulerCore core)
    {
        using var doc = await HttpReplies.ReadJsonAsync(context).ConfigureAwait(false);
        if (doc is null)
        {
            return;
        }

        if (doc.RootElement.ValueKind != JsonValueKind.Array)
        {
            await HttpReplies.FailureAsync(context, ChangeResult.Invalid([new("/", ["must be an array of apps"])])).ConfigureAwait(false);
            return;
        }

        bool partial = context.Request.Method == "PATCH" || HttpReplies.Flag(context, "partialUpdate", fallback: true);
        var errors = new FieldErrorList();
        var apps = new List<AppDefinition>();
        int i = 0;
        foreach (var item in doc.RootElement.EnumerateArray())
        {
            string? id = item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String
                ? PathIds.Resolve(idElement.GetString()!, "/")
                : null;
            if (id is null && item.ValueKind == JsonValueKind.Object && item.TryGetProperty("id", out var badId) && badId.ValueKind is not JsonValueKind.Null and not JsonValueKind.String)
            {
                errors.Add($"/{i++}/id", "must be a string");
                continue;
            }

            if (ParseUpdate(core, item, $"/{i++}", id, partial, errors) is { } app)
            {
                apps.Add(app);
            }
        }

        if (errors.Any)
        {
            await HttpReplies.FailureAsync(context, ChangeResult.Invalid(errors.ToList())).ConfigureAwait(false);
            return;
        }

        await HttpReplies.ChangeAsync(context, core.PutApps(apps, HttpReplies.Flag(context, "force"))).ConfigureAwait(false);
    }

    private static async Task AppPathAsync(HttpContext context, SchedulerCore core)
    {
        var path = "/" + ((string?)context.Request.RouteValues["path"] ?? string.Empty).Trim('/');
        var method = context.Request.Method;
        var segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        bool force = HttpReplies.Flag(context, "force");

        if (segments.Length >= 2 && segments[^1] == "restart" && method == "POST")
        {
            await HttpReplies.ChangeAsync(context, core.RestartApp(PathIds.Parent(path), force)).ConfigureAwait(false);
            return;
        }

        if (segments.Length >= 2 && segments[^1] == "tasks")
        {
            await AppTasksAsync(context, core, PathIds.Parent(path), null).ConfigureAwait(false);
            return;
        }

        if (segments.Length >= 3 && segments[^2] == "tasks" && method == "DELETE")
        {
            await AppTasksAsync(context, core, PathIds.Parent(PathIds.Parent(path)), segments[^1]).ConfigureAwait(false);
            return;
        }

        if (segments.Length >= 2 && segments[^1] == "versions" && method == "GET")
        {
            await VersionsAsync(context, core, PathIds.Parent(path)).ConfigureAwait(false);
            return;
        }

        if (segments.Length >= 3 && segments[^2] == "versions" && method == "GET")
        {
            await VersionAsync(context, core, PathIds.Parent(PathIds.Parent(path)), segments[^1]).ConfigureAwait(false);
            return;
        }

        switch (method)
        {
            case "GET":
                await GetAppAsync(context, core, path).ConfigureAwait(false);
                return;
            case "DELETE":
                await HttpReplies.ChangeAsync(context, core.DeleteApp(path, force)).ConfigureAwait(false);
                return;
            case "PUT" or "PATCH":
                await UpdateAppAsync(context, core, path, partial: method == "PATCH" || HttpReplies.Flag(context, "partialUpdate", fallback: true), force).ConfigureAwait(false);
                return;
            default:
                await HttpReplies.MessageAsync(context, 405, $"{method} is not allowed on /v2/apps{path}").ConfigureAwait(false);
                return;
        }
    }

    private static Task GetAppAsync(HttpContext context, SchedulerCore core, string id)
    {
        bool found = core.Read(view => view.Apps.TryGetValue(id, out var a) && !a.Deleted);
        if (!found)
        {
            return HttpReplies.MessageAsync(context, 404, $"App '{id}' does not exist");
        }

        return HttpReplies.JsonAsync(context, 200, w => core.Read(view =>
        {
            w.WriteStartObject();
            w.WritePropertyName("app");
            MarathonJson.WriteApp(w, view.Apps[id], view.DeploymentsOf(id), embedTasks: true, embedFailure: true);
            w.WriteEndObject();
            return 0;
        }));
    }

    private static async Task UpdateAppAsync(HttpContext context, SchedulerCore core, string id, bool partial, bool force)
    {
        using var doc = await HttpReplies.ReadJsonAsync(context).ConfigureAwait(false);
        if (doc is null)
        {
            return;
        }

        var errors = new FieldErrorList();
        if (PathIds.Problems(id, isApp: true) is { Count: > 0 } problems)
        {
            foreach (var p in problems)
            {
                errors.Add("/id", p);
            }

            await HttpReplies.FailureAsync(context, ChangeResult.Invalid(errors.ToList())).ConfigureAwait(false);
            return;
        }

        var app = ParseUpdate(core, doc.RootElement, string.Empty, id, partial, errors);
        if (app is null)
        {
            await HttpReplies.FailureAsync(context, ChangeResult.Invalid(errors.ToList())).ConfigureAwait(false);
            return;
        }

        await HttpReplies.ChangeAsync(context, core.PutApps([app], force)).ConfigureAwait(false);
    }

    /// <summary>
    /// An update body: with <paramref name="partial"/> its top-level fields overlay the current definition (Marathon's
    /// partialUpdate / PATCH); otherwise it is the whole new definition. The path id wins over a body id.
    /// </summary>
    private static AppDefinition? ParseUpdate(SchedulerCore core, JsonElement body, string path, string? id, bool partial, FieldErrorList errors)
    {
        if (body.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path.Length == 0 ? "/" : path, "must be a JSON object (an app definition)");
            return null;
        }

        if (id is null)
        {
            errors.Add(path + "/id", "is required");
            return null;
        }

        var current = partial ? core.Read(view => view.Apps.TryGetValue(id, out var a) && !a.Deleted ? AppJsonWriter.ConfigJson(a.Definition) : null) : null;
        if (current is null)
        {
            return AppParser.Parse(body, path, "/", errors, idOverride: id, admission: core.Admission);
        }

        var merged = JsonNode.Parse(current)!.AsObject();
        foreach (var property in body.EnumerateObject())
        {
            merged[property.Name] = JsonNode.Parse(property.Value.GetRawText());
        }

        // Changing the command kind drops the other one, as Marathon's update does.
        if (body.TryGetProperty("args", out _) && !body.TryGetProperty("cmd", out _))
        {
            merged.Remove("cmd");
        }
        else if (body.TryGetProperty("cmd", out _) && !body.TryGetProperty("args", out _))
        {
            merged.Remove("args");
        }

        // A body that picks its networking (Marathon 1.4's docker.network, or networks) replaces the stored choice and
        // the ports that went with it, as a full Marathon update would; otherwise both forms would clash.
        bool legacyNetwork = body.TryGetProperty("container", out var container) && container.ValueKind == JsonValueKind.Object &&
            container.TryGetProperty("docker", out var docker) && docker.ValueKind == JsonValueKind.Object && docker.TryGetProperty("network", out _);
        if (legacyNetwork && !body.TryGetProperty("networks", out _))
        {
            merged.Remove("networks");
        }

        if ((legacyNetwork || body.TryGetProperty("networks", out _)) && !body.TryGetProperty("portDefinitions", out _) && !body.TryGetProperty("ports", out _))
        {
            merged.Remove("portDefinitions");
        }

        using var doc = JsonDocument.Parse(merged.ToJsonString());
        return AppParser.Parse(doc.RootElement, path, "/", errors, idOverride: id, admission: core.Admission);
    }
}
