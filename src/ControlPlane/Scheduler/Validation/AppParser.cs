using System.Text.Json;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler.Apps;

namespace Minuet.ControlPlane.Scheduler.Validation;

/// <summary>
/// Turns a Marathon app JSON object into an <see cref="AppDefinition"/> with Marathon's defaults, collecting every
/// problem with its JSON path (Marathon api/v2/validation/AppValidation.scala) instead of stopping at the first.
/// Features Minuet does not run (secrets, fetch, persistent volumes, pods) are refused by name.
/// </summary>
internal static partial class AppParser
{
    /// <summary>
    /// Parses one app at <paramref name="path"/> (empty for a top-level body); ids resolve against <paramref name="parentGroup"/>.
    /// <paramref name="admission"/> (API requests) adds the cluster's rules; stored apps are read back without it.
    /// </summary>
    public static AppDefinition? Parse(JsonElement json, string path, string parentGroup, FieldErrorList errors, string? idOverride = null, AppAdmission? admission = null)
    {
        if (json.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path.Length == 0 ? "/" : path, "must be a JSON object (an app definition)");
            return null;
        }

        int before = errors.Count;
        var f = new JsonFields(json, path, errors);
        if (f.Has("containers"))
        {
            // A pod definition sent as an app: say so instead of listing what an app would lack.
            errors.Add(f.At("containers"), "pods are not supported: this is a pod definition (it has 'containers'); Minuet runs apps (cmd or args)");
            return null;
        }

        string? id = ParseId(f, parentGroup, idOverride);
        var cmd = f.String("cmd");
        var args = f.StringArray("args");
        var (container, networks) = ParseContainerAndNetworks(f);
        bool mappedPorts = networks.Any(n => n.Mode is NetworkMode.Container or NetworkMode.ContainerBridge);
        ValidateCommand(f, cmd, args, container);

        var app = new AppDefinition
        {
            Id = id ?? "/",
            Cmd = cmd,
            Args = args,
            Instances = NonNegativeInt(f, "instances") ?? AppDefaults.Instances,
            Cpus = NonNegative(f, "cpus") ?? AppDefaults.Cpus,
            Mem = NonNegative(f, "mem") ?? AppDefaults.Mem,
            Disk = NonNegative(f, "disk") ?? 0,
            Gpus = ParseGpus(f),
            Env = ParseEnv(f),
            Labels = f.StringMap("labels"),
            PortDefinitions = ParsePortDefinitions(f, mappedPorts),
            RequirePorts = f.Bool("requirePorts") ?? false,
            Container = container,
            Networks = networks,
            Constraints = ParseConstraints(f),
            UpgradeStrategy = ParseUpgradeStrategy(f),
            BackoffSeconds = NonNegative(f, "backoffSeconds") ?? AppDefaults.BackoffSeconds,
            BackoffFactor = ParseBackoffFactor(f),
            MaxLaunchDelaySeconds = NonNegative(f, "maxLaunchDelaySeconds") ?? AppDefaults.MaxLaunchDelaySeconds,
            KillSelection = ParseKillSelection(f),
            Dependencies = ParseDependencies(f, id is null ? parentGroup : PathIds.Parent(id)),
            AcceptedResourceRoles = f.StringArray("acceptedResourceRoles"),
            User = f.String("user"),
            TaskKillGracePeriodSeconds = NonNegative(f, "taskKillGracePeriodSeconds"),
        };

        ValidateContainerPorts(f, app, mappedPorts);
        app = app with { HealthChecks = ParseHealthChecks(f, app.Ports.Count), ReadinessChecks = ParseReadinessChecks(f, app.Ports) };
        RefuseUnsupported(f);
        if (admission is not null)
        {
            Admit(f, app, admission);
        }

        return errors.Count == before && id is not null ? app : null;
    }

    private static string? ParseId(JsonFields f, string parentGroup, string? idOverride)
    {
        // The body's id is type-checked even when the path names the app (PUT /v2/apps/x with "id": 5 is refused).
        var bodyId = f.String("id");
        var raw = idOverride ?? bodyId;
        if (raw is null)
        {
            if (!f.Has("id"))
            {
                f.Errors.Add(f.At("id"), "is required");
            }

            return null;
        }

        var problems = PathIds.Problems(raw, isApp: true);
        foreach (var problem in problems)
        {
            f.Errors.Add(f.At("id"), problem);
        }

        if (problems.Count > 0)
        {
            return null;
        }

        var resolved = PathIds.Resolve(raw, parentGroup);
        if (resolved is null || resolved == "/")
        {
            f.Errors.Add(f.At("id"), $"'{raw}' climbs above the root group");
            return null;
        }

        if (!PathIds.IsWithin(resolved, parentGroup) || resolved == parentGroup)
        {
            f.Errors.Add(f.At("id"), $"Identifier is not child of '{parentGroup}'");
            return null;
        }

        if (PathIds.LengthProblem(resolved) is { } tooLong)
        {
            f.Errors.Add(f.At("id"), tooLong);
            return null;
        }

        return resolved;
    }

    private static void ValidateCommand(JsonFields f, string? cmd, List<string>? args, ContainerSpec? container)
    {
        bool hasCmd = !string.IsNullOrWhiteSpace(cmd);
        bool hasArgs = args is { Count: > 0 };
        var root = f.Path.Length == 0 ? "/" : f.Path;
        if (hasCmd && hasArgs)
        {
            f.Errors.Add(root, "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.");
        }
        else if (!hasCmd && !hasArgs && container?.Docker is null)
        {
            // A Docker image may run its own default command; a process task has nothing to run.
            f.Errors.Add(root, "AppDefinition must either contain one of 'cmd' or 'args', and/or a 'container'.");
        }
    }

    private static double? NonNegative(JsonFields f, string name)
    {
        var value = f.Number(name);
        if (value is < 0 || (value is { } v && (double.IsNaN(v) || double.IsInfinity(v))))
        {
            f.Errors.Add(f.At(name), "must be greater than or equal to 0");
            return null;
        }

        return value;
    }

    private static int? NonNegativeInt(JsonFields f, string name)
    {
        var value = f.Int(name);
        if (value is < 0)
        {
            f.Errors.Add(f.At(name), "must be greater than or equal to 0");
            return null;
        }

        return value;
    }

    private static double ParseGpus(JsonFields f)
    {
        var gpus = NonNegative(f, "gpus") ?? 0;
        if (gpus > 0)
        {
            f.Errors.Add(f.At("gpus"), "GPUs are not supported by Minuet agents");
        }

        return gpus;
    }

    private static double ParseBackoffFactor(JsonFields f)
    {
        var factor = f.Number("backoffFactor");
        if (factor is < 1)
        {
            f.Errors.Add(f.At("backoffFactor"), "must be greater than or equal to 1");
            return AppDefaults.BackoffFactor;
        }

        return factor ?? AppDefaults.BackoffFactor;
    }

    private static KillSelection ParseKillSelection(JsonFields f)
    {
        switch (f.String("killSelection"))
        {
            case null or "YOUNGEST_FIRST":
                return KillSelection.YoungestFirst;
            case "OLDEST_FIRST":
                return KillSelection.OldestFirst;
            case var other:
                f.Errors.Add(f.At("killSelection"), $"'{other}' is not one of YOUNGEST_FIRST, OLDEST_FIRST");
                return KillSelection.YoungestFirst;
        }
    }

    private static SortedDictionary<string, string> ParseEnv(JsonFields f)
    {
        var env = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (f.Child("env") is not { } child)
        {
            return env;
        }

        foreach (var property in child.Object.EnumerateObject())
        {
            if (property.Value.ValueKind == JsonValueKind.String)
            {
                env[property.Name] = property.Value.GetString()!;
            }
            else if (property.Value.ValueKind == JsonValueKind.Object && property.Value.TryGetProperty("secret", out _))
            {
                f.Errors.Add(child.At(property.Name), "secret references are not supported (Minuet has no secret store)");
            }
            else
            {
                f.Errors.Add(child.At(property.Name), "must be a string or a {\"secret\": ...} reference");
            }

            if (property.Name.Length == 0 || property.Name.Contains('=', StringComparison.Ordinal))
            {
                f.Errors.Add(child.At(property.Name), "is not a valid environment variable name");
            }
        }

        return env;
    }

    private static List<string> ParseDependencies(JsonFields f, string parent)
    {
        var result = new List<string>();
        var deps = f.StringArray("dependencies") ?? [];
        for (int i = 0; i < deps.Count; i++)
        {
            var problems = PathIds.Problems(deps[i], isApp: false);
            var resolved = problems.Count == 0 ? PathIds.Resolve(deps[i], parent) : null;
            if (resolved is null)
            {
                f.Errors.Add($"{f.At("dependencies")}/{i}", problems.Count > 0 ? string.Join("; ", problems) : "climbs above the root group");
                continue;
            }

            result.Add(resolved);
        }

        return result;
    }

    private static UpgradeStrategySpec ParseUpgradeStrategy(JsonFields f)
    {
        if (f.Child("upgradeStrategy") is not { } u)
        {
            return UpgradeStrategySpec.Default;
        }

        double min = UnitInterval(u, "minimumHealthCapacity") ?? UpgradeStrategySpec.Default.MinimumHealthCapacity;
        double over = UnitInterval(u, "maximumOverCapacity") ?? UpgradeStrategySpec.Default.MaximumOverCapacity;
        return new UpgradeStrategySpec(min, over);
    }

    private static double? UnitInterval(JsonFields f, string name)
    {
        var value = f.Number(name);
        if (value is > 1)
        {
            f.Errors.Add(f.At(name), "is greater than 1");
            return null;
        }

        if (value is < 0)
        {
            f.Errors.Add(f.At(name), "is less than 0");
            return null;
        }

        return value;
    }

    /// <summary>Fields Marathon accepts that Minuet cannot honour: refused, never silently dropped.</summary>
    private static void RefuseUnsupported(JsonFields f)
    {
        if (f.Child("secrets") is { } secrets && secrets.Object.EnumerateObject().Any())
        {
            f.Errors.Add(f.At("secrets"), "secrets are not supported (Minuet has no secret store)");
        }

        if (f.Has("ipAddress"))
        {
            f.Errors.Add(f.At("ipAddress"), "the deprecated ipAddress field is not supported; use networks: [{\"mode\": \"container\"}]");
        }

        if (f.Array("fetch").Count > 0 || f.Array("uris").Count > 0)
        {
            f.Errors.Add(f.At(f.Has("fetch") ? "fetch" : "uris"), "fetching artifacts is not supported; tasks run commands present on the agent");
        }

        if (f.String("executor") is { Length: > 0 } executor && executor != "//cmd")
        {
            f.Errors.Add(f.At("executor"), "custom executors are not supported");
        }

        if (f.Array("residency").Count > 0 || f.Has("residency"))
        {
            f.Errors.Add(f.At("residency"), "resident (stateful) apps are not supported");
        }
    }
}
