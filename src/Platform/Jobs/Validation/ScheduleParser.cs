using System.Text.Json;
using Minuet.Platform.Jobs.Model;
using Minuet.Platform.Jobs.Schedules;

namespace Minuet.Platform.Jobs.Validation;

/// <summary>Metronome's schedule object → <see cref="ScheduleSpec"/>, every error with its path; and a spec → its occurrences.</summary>
internal static class ScheduleParser
{
    /// <summary>Metronome validates at least 60 s: the service may be a tick late, and a shorter window would skip honest runs.</summary>
    public const int MinStartingDeadlineSeconds = 60;

    public static ScheduleSpec? Parse(JsonElement s, string path, FieldErrors errors)
    {
        if (s.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path, "must be an object");
            return null;
        }

        int before = errors.List.Count;
        string id = JsonFields.String(s, "id", path, errors) ?? "default";
        if (JobIds.Check(id, chronos: false) is { } idError)
        {
            errors.Add(path + "/id", idError);
        }

        string? cron = JsonFields.String(s, "cron", path, errors);
        string zone = JsonFields.String(s, "timezone", path, errors) ?? "UTC";
        int deadline = JsonFields.Int(s, "startingDeadlineSeconds", path, errors, MinStartingDeadlineSeconds) ?? ScheduleSpec.DefaultStartingDeadlineSeconds;
        var concurrency = Enum(JsonFields.String(s, "concurrencyPolicy", path, errors), path + "/concurrencyPolicy", errors, ConcurrencyPolicy.Allow, "ALLOW, FORBID or REPLACE");
        var missed = Enum(JsonFields.String(s, "missedRuns", path, errors), path + "/missedRuns", errors, MissedRunPolicy.RunOnce, "RUN_ONCE or SKIP");
        bool enabled = JsonFields.Bool(s, "enabled", path, errors) ?? true;
        if (cron is null)
        {
            errors.Add(path + "/cron", "is required (5 fields: minute hour day-of-month month day-of-week)");
        }

        var spec = new ScheduleSpec
        {
            Id = id,
            Cron = cron,
            TimeZone = zone,
            StartingDeadlineSeconds = deadline,
            ConcurrencyPolicy = concurrency,
            MissedRuns = missed,
            Enabled = enabled,
        };
        CheckTimes(spec, path, errors, DateTimeOffset.UnixEpoch);
        return errors.List.Count == before ? spec : null;
    }

    /// <summary>Errors of the cron or interval and the zone, at <c>path/cron</c>, <c>path/schedule</c> and <c>path/timezone</c>.</summary>
    public static void CheckTimes(ScheduleSpec spec, string path, FieldErrors errors, DateTimeOffset now)
    {
        var zone = TimeZones.Find(spec.TimeZone, out string? zoneError);
        if (zone is null)
        {
            errors.Add(path + "/timezone", zoneError!);
            return;
        }

        string? error = null;
        if (spec.Cron is { } cron)
        {
            CronTimes.Parse(cron, zone, out error);
            if (error is not null)
            {
                errors.Add(path + "/cron", error);
            }
        }
        else if (spec.Iso8601 is { } iso)
        {
            Iso8601Interval.Parse(iso, zone, now, out error);
            if (error is not null)
            {
                errors.Add(path + "/schedule", error);
            }
        }
    }

    /// <summary>The occurrences of a valid spec (validated on the way in; a stored one that no longer parses yields none).</summary>
    public static IScheduleTimes? Times(ScheduleSpec spec, DateTimeOffset now)
    {
        var zone = TimeZones.Find(spec.TimeZone, out _);
        if (zone is null)
        {
            return null;
        }

        return spec.Cron is { } cron ? CronTimes.Parse(cron, zone, out _)
            : spec.Iso8601 is { } iso ? Iso8601Interval.Parse(iso, zone, now, out _)
            : null;
    }

    public static string Name(ConcurrencyPolicy p) => p switch
    {
        ConcurrencyPolicy.Forbid => "FORBID",
        ConcurrencyPolicy.Replace => "REPLACE",
        _ => "ALLOW",
    };

    public static string Name(MissedRunPolicy p) => p == MissedRunPolicy.Skip ? "SKIP" : "RUN_ONCE";

    private static T Enum<T>(string? value, string path, FieldErrors errors, T fallback, string expected)
        where T : struct, System.Enum
    {
        if (value is null)
        {
            return fallback;
        }

        if (System.Enum.TryParse<T>(value.Replace("_", string.Empty, StringComparison.Ordinal), ignoreCase: true, out var parsed)
            && System.Enum.IsDefined(parsed) && !int.TryParse(value, out _))
        {
            return parsed;
        }

        errors.Add(path, $"'{value}' is not one of {expected}");
        return fallback;
    }

    public static T ParseEnum<T>(string? value, string path, FieldErrors errors, T fallback, string expected)
        where T : struct, System.Enum => Enum(value, path, errors, fallback, expected);
}
