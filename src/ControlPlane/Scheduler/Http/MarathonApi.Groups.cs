using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler.Apps;
using Minuet.ControlPlane.Scheduler.Validation;

namespace Minuet.ControlPlane.Scheduler.Http;

/// <summary><c>/v2/groups[/{id}]</c>: the tree of groups built from app ids and group settings; POST, PUT, DELETE.</summary>
internal static partial class MarathonApi
{
    private static void MapGroups(WebApplication app, SchedulerCore core)
    {
        app.MapMethods("/v2/groups", ["GET", "POST", "PUT", "DELETE"], context => GroupAsync(context, core, "/"));
        app.MapMethods("/v2/groups/{**path}", ["GET", "POST", "PUT", "DELETE"], context =>
            GroupAsync(context, core, "/" + ((string?)context.Request.RouteValues["path"] ?? string.Empty).Trim('/')));
    }

    private static async Task GroupAsync(HttpContext context, SchedulerCore core, string id)
    {
        bool force = HttpReplies.Flag(context, "force");
        switch (context.Request.Method)
        {
            case "GET":
                await GetGroupAsync(context, core, id).ConfigureAwait(false);
                return;
            case "DELETE":
                await HttpReplies.ChangeAsync(context, core.DeleteGroup(id, force)).ConfigureAwait(false);
                return;
        }

        using var doc = await HttpReplies.ReadJsonAsync(context).ConfigureAwait(false);
        if (doc is null)
        {
            return;
        }

        var errors = new FieldErrorList();
        var bodyId = doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("id", out var b) && b.ValueKind == JsonValueKind.String ? b.GetString() : null;
        string? groupId = bodyId is null ? id : PathIds.Resolve(bodyId, id);
        var (apps, groups) = GroupParser.Parse(doc.RootElement, id, errors, core.Admission);
        if (errors.Any || groupId is null)
        {
            await HttpReplies.FailureAsync(context, ChangeResult.Invalid(errors.ToList())).ConfigureAwait(false);
            return;
        }

        bool create = context.Request.Method == "POST";
        await HttpReplies.ChangeAsync(context, core.PutGroup(groupId, apps, groups, create, force), create ? 201 : 200).ConfigureAwait(false);
    }

    private static Task GetGroupAsync(HttpContext context, SchedulerCore core, string id)
    {
        bool exists = id == "/" || core.Read(view => view.Groups.ContainsKey(id) || view.VisibleApps.Any(a => PathIds.IsWithin(a.Definition.Id, id) && a.Definition.Id != id));
        if (!exists)
        {
            return HttpReplies.MessageAsync(context, 404, $"Group '{id}' does not exist");
        }

        return HttpReplies.JsonAsync(context, 200, w => core.Read(view =>
        {
            WriteGroup(w, id, view);
            return 0;
        }));
    }

    private static void WriteGroup(Utf8JsonWriter w, string id, SchedulerReadView view)
    {
        var apps = view.VisibleApps.Where(a => PathIds.Parent(a.Definition.Id) == id).ToList();
        var childGroups = view.VisibleApps.Select(a => a.Definition.Id).Concat(view.Groups.Keys)
            .Where(x => x != id && PathIds.IsWithin(x, id))
            .Select(x => ChildOf(id, x))
            .Where(c => c is not null && !apps.Any(a => a.Definition.Id == c))
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToList();

        w.WriteStartObject();
        w.WriteString("id", id);
        w.WriteStartArray("apps");
        foreach (var app in apps)
        {
            MarathonJson.WriteApp(w, app, view.DeploymentsOf(app.Definition.Id), embedTasks: false, embedFailure: false);
        }

        w.WriteEndArray();
        w.WriteStartArray("pods");
        w.WriteEndArray();
        w.WriteStartArray("groups");
        foreach (var child in childGroups)
        {
            WriteGroup(w, child!, view);
        }

        w.WriteEndArray();
        w.WriteStartArray("dependencies");
        foreach (var dep in view.Groups.TryGetValue(id, out var g) ? g.Dependencies : [])
        {
            w.WriteStringValue(dep);
        }

        w.WriteEndArray();
        var latest = apps.Select(a => a.Definition.Version).DefaultIfEmpty(default).Max();
        if (latest != default)
        {
            w.WriteString("version", AppJsonWriter.Timestamp(latest));
        }

        w.WriteEndObject();
    }

    /// <summary>The direct child of <paramref name="group"/> on the way to <paramref name="id"/> (<c>/a</c>, <c>/a/b/c</c> → <c>/a/b</c>).</summary>
    private static string? ChildOf(string group, string id)
    {
        var rest = (group == "/" ? id : id[group.Length..]).TrimStart('/');
        int slash = rest.IndexOf('/', StringComparison.Ordinal);
        return slash < 0 ? null : (group == "/" ? "/" : group + "/") + rest[..slash];
    }
}
