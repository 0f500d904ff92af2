using System.Text.Json;
using Minuet.Platform.Jobs.Model;

namespace Minuet.Platform.Jobs.Validation;

/// <summary>Metronome's job JSON → <see cref="JobSpec"/>: every error with its JSON path, nothing half-accepted.</summary>
internal static class JobParser
{
    private static readonly HashSet<string> Operators = new(StringComparer.Ordinal) { "IS", "EQ", "LIKE", "UNLIKE" };

    public static JobSpec? Parse(JsonElement root, FieldErrors errors, string? pathId = null)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add("/", "must be a JSON object");
            return null;
        }

        int before = errors.List.Count;
        string? id = JsonFields.String(root, "id", string.Empty, errors) ?? pathId;
        if (JobIds.Check(id, chronos: false) is { } idError)
        {
            errors.Add("/id", idError);
        }
        else if (pathId is not null && id != pathId)
        {
            errors.Add("/id", $"'{id}' differs from the id in the path '{pathId}'");
        }

        string? description = JsonFields.String(root, "description", string.Empty, errors);
        var labels = JsonFields.StringMap(root, "labels", string.Empty, errors);
        RunSpec? run = null;
        if (JsonFields.Object(root, "run", string.Empty, errors) is { } runElement)
        {
            run = ParseRun(runElement, "/run", errors);
        }
        else if (!root.TryGetProperty("run", out _))
        {
            errors.Add("/run", "is required (cmd or args, cpus, mem, disk)");
        }

        var schedules = new List<ScheduleSpec>();
        if (root.TryGetProperty("schedules", out var sched) && sched.ValueKind != JsonValueKind.Null)
        {
            if (sched.ValueKind != JsonValueKind.Array)
            {
                errors.Add("/schedules", "must be an array");
            }
            else
            {
                int i = 0;
                foreach (var s in sched.EnumerateArray())
                {
                    if (ScheduleParser.Parse(s, $"/schedules/{i}", errors) is { } spec)
                    {
                        if (schedules.Any(x => x.Id == spec.Id))
                        {
                            errors.Add($"/schedules/{i}/id", $"'{spec.Id}' is used by another schedule of this job");
                        }

                        schedules.Add(spec);
                    }

                    i++;
                }
            }
        }

        var dependencies = ParseDependencies(root, errors);
        if (schedules.Count > 0 && dependencies.Count > 0)
        {
            errors.Add("/dependencies", "a job runs either on schedules or after its dependencies, not both (as in Metronome and Chronos)");
        }

        if (id is not null && dependencies.Contains(id, StringComparer.Ordinal))
        {
            errors.Add("/dependencies", $"'{id}' cannot depend on itself");
        }

        if (errors.List.Count != before || run is null || id is null)
        {
            return null;
        }

        return new JobSpec
        {
            Id = id,
            Description = description,
            Labels = labels ?? new Dictionary<string, string>(),
            Run = run,
            Schedules = schedules,
            Dependencies = dependencies,
        };
    }

    public static RunSpec? ParseRun(JsonElement run, string path, FieldErrors errors)
    {
        int before = errors.List.Count;
        string? cmd = JsonFields.String(run, "cmd", path, errors);
        var args = JsonFields.Strings(run, "args", path, errors) ?? [];
        string? image = null;
        if (JsonFields.Object(run, "docker", path, errors) is { } docker)
        {
            image = JsonFields.String(docker, "image", path + "/docker", errors);
            if (string.IsNullOrWhiteSpace(image))
            {
                errors.Add(path + "/docker/image", "is required when docker is given");
            }
        }

        if (string.IsNullOrWhiteSpace(cmd) && args.Count == 0 && image is null)
        {
            errors.Add(path + "/cmd", "one of cmd, args or docker.image is required");
        }

        double? cpus = JsonFields.Number(run, "cpus", path, errors, 0.001);
        double? mem = JsonFields.Number(run, "mem", path, errors, 1);
        double? disk = JsonFields.Number(run, "disk", path, errors, 0);
        foreach (var (name, value) in new[] { ("cpus", cpus), ("mem", mem), ("disk", disk) })
        {
            if (value is null && !run.TryGetProperty(name, out _))
            {
                errors.Add($"{path}/{name}", "is required");
            }
        }

        var env = JsonFields.StringMap(run, "env", path, errors);
        int maxLaunchDelay = JsonFields.Int(run, "maxLaunchDelay", path, errors, 1) ?? 3600;
        var restart = new RestartSpec();
        if (JsonFields.Object(run, "restart", path, errors) is { } r)
        {
            var policy = ScheduleParser.ParseEnum(JsonFields.String(r, "policy", path + "/restart", errors), path + "/restart/policy", errors, RestartPolicy.Never, "NEVER or ON_FAILURE");
            restart = new RestartSpec
            {
                Policy = policy,
                ActiveDeadlineSeconds = JsonFields.Int(r, "activeDeadlineSeconds", path + "/restart", errors, 1),
                MaxRetries = JsonFields.Int(r, "maxRetries", path + "/restart", errors, 0),
            };
        }

        var constraints = new List<PlacementConstraint>();
        if (JsonFields.Object(run, "placement", path, errors) is { } placement
            && placement.TryGetProperty("constraints", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (var c in list.EnumerateArray())
            {
                string cp = $"{path}/placement/constraints/{i++}";
                if (c.ValueKind != JsonValueKind.Object)
                {
                    errors.Add(cp, "must be an object {attribute, operator, value}");
                    continue;
                }

                string? attribute = JsonFields.String(c, "attribute", cp, errors);
                string? op = JsonFields.String(c, "operator", cp, errors);
                string? value = JsonFields.String(c, "value", cp, errors);
                if (string.IsNullOrEmpty(attribute))
                {
                    errors.Add(cp + "/attribute", "is required");
                }

                if (op is null || !Operators.Contains(op))
                {
                    errors.Add(cp + "/operator", $"'{op}' is not one of IS, LIKE, UNLIKE");
                }
                else if (value is null)
                {
                    errors.Add(cp + "/value", "is required");
                }
                else if (op is "LIKE" or "UNLIKE" && !IsRegex(value))
                {
                    errors.Add(cp + "/value", $"'{value}' is not a valid regular expression");
                }

                if (attribute is not null && op is not null && value is not null)
                {
                    constraints.Add(new PlacementConstraint(attribute, op == "EQ" ? "IS" : op, value));
                }
            }
        }

        if (errors.List.Count != before)
        {
            return null;
        }

        return new RunSpec
        {
            Cmd = cmd,
            Args = args,
            Cpus = cpus ?? 0,
            Mem = mem ?? 0,
            Disk = disk ?? 0,
            Env = env ?? new Dictionary<string, string>(),
            Constraints = constraints,
            Restart = restart,
            MaxLaunchDelay = maxLaunchDelay,
            DockerImage = image,
        };
    }

    private static List<string> ParseDependencies(JsonElement root, FieldErrors errors)
    {
        var result = new List<string>();
        if (!root.TryGetProperty("dependencies", out var deps) || deps.ValueKind == JsonValueKind.Null)
        {
            return result;
        }

        if (deps.ValueKind != JsonValueKind.Array)
        {
            errors.Add("/dependencies", "must be an array of job ids (or {\"id\": ...} objects)");
            return result;
        }

        int i = 0;
        foreach (var d in deps.EnumerateArray())
        {
            string? parent = d.ValueKind == JsonValueKind.String ? d.GetString()
                : d.ValueKind == JsonValueKind.Object && d.TryGetProperty("id", out var pid) && pid.ValueKind == JsonValueKind.String ? pid.GetString()
                : null;
            if (parent is null)
            {
                errors.Add($"/dependencies/{i}", "must be a job id or {\"id\": ...}");
            }
            else if (result.Contains(parent, StringComparer.Ordinal))
            {
                errors.Add($"/dependencies/{i}", $"'{parent}' is listed twice");
            }
            else
            {
                result.Add(parent);
            }

            i++;
        }

        return result;
    }

    private static bool IsRegex(string value)
    {
        try
        {
            _ = new System.Text.RegularExpressions.Regex(value, System.Text.RegularExpressions.RegexOptions.None, TimeSpan.FromMilliseconds(100));
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
