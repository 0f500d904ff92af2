using System.Globalization;
using System.Text.Json;
using Minuet.Platform.Jobs.Model;
using Minuet.Platform.Jobs.Schedules;

namespace Minuet.Platform.Jobs.Validation;

/// <summary>
/// A Chronos job (docs/docs/api.md, Jobs.scala) → the shared model. <c>schedule</c> (iso8601) or <c>parents</c>
/// (dependency); Chronos's defaults (cpus 0.1, mem 128, disk 256, retries 2, epsilon PT60S). An empty start in the
/// interval is fixed to the time it is posted, so the stored job does not move on every restart.
/// </summary>
internal static class ChronosParser
{
    public const string OwnerLabel = "chronos.owner";

    public static JobSpec? Parse(JsonElement root, bool dependency, DateTimeOffset now, FieldErrors errors)
    {
        if (root.ValueKind != JsonValueKind.Object)
        {
            errors.Add("/", "must be a JSON object");
            return null;
        }

        int before = errors.List.Count;
        string? name = JsonFields.String(root, "name", string.Empty, errors);
        if (JobIds.Check(name, chronos: true) is { } nameError)
        {
            errors.Add("/name", nameError);
        }

        string? command = JsonFields.String(root, "command", string.Empty, errors);
        bool shell = JsonFields.Bool(root, "shell", string.Empty, errors) ?? true;
        var arguments = JsonFields.Strings(root, "arguments", string.Empty, errors) ?? [];
        if (string.IsNullOrWhiteSpace(command))
        {
            errors.Add("/command", "is required");
        }

        double cpus = JsonFields.Number(root, "cpus", string.Empty, errors, 0.001) ?? 0.1;
        double mem = JsonFields.Number(root, "mem", string.Empty, errors, 1) ?? 128;
        double disk = JsonFields.Number(root, "disk", string.Empty, errors, 0) ?? 256;
        int retries = JsonFields.Int(root, "retries", string.Empty, errors, 0) ?? 2;
        bool disabled = JsonFields.Bool(root, "disabled", string.Empty, errors) ?? false;
        bool concurrent = JsonFields.Bool(root, "concurrent", string.Empty, errors) ?? false;
        string? owner = JsonFields.String(root, "owner", string.Empty, errors);
        string? description = JsonFields.String(root, "description", string.Empty, errors);
        string zone = JsonFields.String(root, "scheduleTimeZone", string.Empty, errors) is { Length: > 0 } z ? z : "UTC";
        int deadline = 60;
        if (JsonFields.String(root, "epsilon", string.Empty, errors) is { Length: > 0 } epsilon)
        {
            if (Period.Parse(epsilon, out var epsilonError) is { } period)
            {
                deadline = Math.Max(ScheduleParserMin, (int)period.ApproximateSeconds);
            }
            else
            {
                errors.Add("/epsilon", epsilonError!);
            }
        }

        var env = new Dictionary<string, string>(StringComparer.Ordinal);
        if (root.TryGetProperty("environmentVariables", out var vars) && vars.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (var v in vars.EnumerateArray())
            {
                string? key = v.ValueKind == JsonValueKind.Object ? JsonFields.String(v, "name", $"/environmentVariables/{i}", errors) : null;
                string? value = v.ValueKind == JsonValueKind.Object ? JsonFields.String(v, "value", $"/environmentVariables/{i}", errors) : null;
                if (key is null)
                {
                    errors.Add($"/environmentVariables/{i}", "must be {\"name\": ..., \"value\": ...}");
                }
                else
                {
                    env[key] = value ?? string.Empty;
                }

                i++;
            }
        }

        var schedules = new List<ScheduleSpec>();
        var parents = new List<string>();
        if (dependency)
        {
            parents.AddRange(JsonFields.Strings(root, "parents", string.Empty, errors) ?? []);
            if (parents.Count == 0)
            {
                errors.Add("/parents", "a dependent job needs at least one parent");
            }

            if (name is not null && parents.Contains(name, StringComparer.Ordinal))
            {
                errors.Add("/parents", $"'{name}' cannot depend on itself");
            }
        }
        else
        {
            string? schedule = JsonFields.String(root, "schedule", string.Empty, errors);
            var tz = TimeZones.Find(zone, out string? zoneError);
            if (tz is null)
            {
                errors.Add("/scheduleTimeZone", zoneError!);
            }
            else if (string.IsNullOrWhiteSpace(schedule))
            {
                errors.Add("/schedule", "is required: an ISO 8601 repeating interval, e.g. 'R/2026-01-01T00:00:00Z/PT1H'");
            }
            else if (Iso8601Interval.Parse(schedule, tz, now, out string? scheduleError) is null)
            {
                errors.Add("/schedule", scheduleError!);
            }
            else
            {
                schedules.Add(new ScheduleSpec
                {
                    Id = "chronos",
                    Iso8601 = FixStart(schedule, now, tz),
                    TimeZone = zone,
                    StartingDeadlineSeconds = deadline,
                    ConcurrencyPolicy = concurrent ? ConcurrencyPolicy.Allow : ConcurrencyPolicy.Forbid,
                    Enabled = !disabled,
                });
            }
        }

        if (errors.List.Count != before || name is null || command is null)
        {
            return null;
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (owner is not null)
        {
            labels[OwnerLabel] = owner;
        }

        return new JobSpec
        {
            Id = name,
            Description = description,
            Labels = labels,
            Run = new RunSpec
            {
                Cmd = shell ? command : null,
                Args = shell ? [] : [command, .. arguments],
                Cpus = cpus,
                Mem = mem,
                Disk = disk,
                Env = env,
                Restart = new RestartSpec { Policy = retries > 0 ? RestartPolicy.OnFailure : RestartPolicy.Never, MaxRetries = retries },
            },
            Schedules = schedules,
            Dependencies = parents,
        };
    }

    private const int ScheduleParserMin = 1;

    /// <summary><c>R5//PT1H</c> → <c>R5/&lt;now in the zone&gt;/PT1H</c>.</summary>
    private static string FixStart(string schedule, DateTimeOffset now, TimeZoneInfo zone)
    {
        var parts = schedule.Split('/');
        if (parts.Length == 3 && parts[1].Length == 0)
        {
            var local = TimeZoneInfo.ConvertTime(now, zone);
            parts[1] = zone == TimeZoneInfo.Utc ? local.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture);
        }

        return string.Join('/', parts);
    }
}
