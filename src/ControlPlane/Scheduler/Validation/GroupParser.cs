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
    public static (List<AppDefinition> Apps, List<StoredGroup> Groups) Parse(JsonElement json, string defaultId, FieldErrorList errors, AppAdmission? admission = null)
    {
        var apps = new List<AppDefinition>();
        var groups = new List<StoredGroup>();
        Walk(json, string.Empty, "/", defaultId, [], apps, groups, errors, admission);
        return (apps, groups);
    }

    /// <summary>Marathon's group fields (GroupUpdate); <c>version</c> and <c>enforceRole</c> as GET answers them.</summary>
    private static readonly HashSet<string> GroupFields = new(StringComparer.Ordinal) { "id", "apps", "groups", "dependencies", "pods", "version", "enforceRole" };

    /// <summary>
    /// A field a group does not have is refused by name: app fields (cmd, instances, ...) at group level mean the app
    /// was meant to go in <c>apps</c>, and silently creating an empty group would hide that.
    /// </summary>
    private static void RefuseForeignFields(JsonFields f)
    {
        foreach (var property in f.Object.EnumerateObject())
        {
            if (!GroupFields.Contains(property.Name))
            {
                f.Errors.Add(f.At(property.Name), AppFieldNames.Contains(property.Name)
                    ? "is an app field, not a group field: put the app in the group's \"apps\" array (or POST it to /v2/apps)"
                    : "is not a group field (a group has id, apps, groups, dependencies)");
            }
        }

        if (f.Array("pods").Count > 0)
        {
            f.Errors.Add(f.At("pods"), "pods are not supported; Minuet runs apps");
        }

        f.Bool("enforceRole");
    }

    private static readonly HashSet<string> AppFieldNames = new(StringComparer.Ordinal)
    {
        "cmd", "args", "instances", "cpus", "mem", "disk", "gpus", "env", "labels", "portDefinitions", "ports", "container",
        "networks", "constraints", "healthChecks", "readinessChecks", "upgradeStrategy", "requirePorts", "user", "backoffSeconds",
        "backoffFactor", "maxLaunchDelaySeconds", "killSelection", "acceptedResourceRoles", "fetch", "uris", "secrets", "containers",
    };

    private static void Walk(JsonElement json, string path, string parent, string? fallbackId, List<string> inherited,
        List<AppDefinition> apps, List<StoredGroup> groups, FieldErrorList errors, AppAdmission? admission)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path.Length == 0 ? "/" : path, "must be a JSON object (a group)");
            return;
        }

        var f = new JsonFields(json, path, errors);
        RefuseForeignFields(f);
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
            if (AppParser.Parse(item, itemPath, id, errors, admission: admission) is { } app)
            {
                apps.Add(app with { Dependencies = app.Dependencies.Concat(all).Where(d => !PathIds.IsWithin(app.Id, d)).Distinct(StringComparer.Ordinal).ToList() });
            }
        }

        foreach (var (item, itemPath) in f.Array("groups"))
        {
            Walk(item, itemPath, id, null, all, apps, groups, errors, admission);
        }
    }
}
