using System.Text.Json;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler.Apps;
using Minuet.ControlPlane.Scheduler.Storage;

namespace Minuet.ControlPlane.Scheduler.Validation;

/// <summary>
/// A Marathon group body (<c>{id, apps[], groups[], dependencies[]}</c>, nested): every app with its absolute id and
/// the dependencies of its enclosing groups added to its own, every group's settings, all errors with their paths.
/// </summary>
internal static class GroupParser
{
    public static (List<AppDefinition> Apps, List<StoredGroup> Groups) Parse(JsonElement json, string defaultId, FieldErrorList errors)
    {
        var apps = new List<AppDefinition>();
        var groups = new List<StoredGroup>();
        Walk(json, string.Empty, "/", defaultId, [], apps, groups, errors);
        return (apps, groups);
    }

    private static void Walk(JsonElement json, string path, string parent, string? fallbackId, List<string> inherited,
        List<AppDefinition> apps, List<StoredGroup> groups, FieldErrorList errors)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path.Length == 0 ? "/" : path, "must be a JSON object (a group)");
            return;
        }

        var f = new JsonFields(json, path, errors);
        var raw = f.String("id") ?? fallbackId;
        string id = parent;
        if (raw is null)
        {
            errors.Add(f.At("id"), "is required");
        }
        else
        {
            var problems = PathIds.Problems(raw, isApp: false);
            foreach (var p in problems)
            {
                errors.Add(f.At("id"), p);
            }

            id = problems.Count == 0 ? PathIds.Resolve(raw, parent) ?? parent : parent;
            if (problems.Count == 0 && !PathIds.IsWithin(id, parent))
            {
                errors.Add(f.At("id"), $"Identifier is not child of '{parent}'");
            }
        }

        var deps = new List<string>();
        var rawDeps = f.StringArray("dependencies") ?? [];
        for (int i = 0; i < rawDeps.Count; i++)
        {
            if (PathIds.Problems(rawDeps[i], isApp: false) is { Count: > 0 } problems)
            {
                errors.Add($"{f.At("dependencies")}/{i}", string.Join("; ", problems));
            }
            else if (PathIds.Resolve(rawDeps[i], PathIds.Parent(id)) is { } resolved)
            {
                deps.Add(resolved);
            }
        }

        groups.Add(new StoredGroup(id, deps));
        var all = inherited.Concat(deps).Distinct(StringComparer.Ordinal).ToList();
        foreach (var (item, itemPath) in f.Array("apps"))
        {
            if (AppParser.Parse(item, itemPath, id, errors) is { } app)
            {
                apps.Add(app with { Dependencies = app.Dependencies.Concat(all).Where(d => !PathIds.IsWithin(app.Id, d)).Distinct(StringComparer.Ordinal).ToList() });
            }
        }

        foreach (var (item, itemPath) in f.Array("groups"))
        {
            Walk(item, itemPath, id, null, all, apps, groups, errors);
        }
    }
}
