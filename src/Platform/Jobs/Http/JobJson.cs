using System.Globalization;
using System.Text.Json;
using Minuet.Platform.Jobs.Engine;
using Minuet.Platform.Jobs.Model;
using Minuet.Platform.Jobs.Validation;

namespace Minuet.Platform.Jobs.Http;

/// <summary>What <c>embed=</c> asked for.</summary>
[Flags]
internal enum Embed
{
    None = 0,
    ActiveRuns = 1,
    History = 2,
    HistorySummary = 4,
    Schedules = 8,
}

/// <summary>Metronome's JSON for jobs, schedules, runs and history (api.raml's schemas).</summary>
internal static class JobJson
{
    public static string Time(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture);

    public static void WriteJob(Utf8JsonWriter w, JobEntry entry, Embed embed)
    {
        var spec = entry.Spec;
        w.WriteStartObject();
        w.WriteString("id", spec.Id);
        if (spec.Description is { } d)
        {
            w.WriteString("description", d);
        }

        w.WriteStartObject("labels");
        foreach (var (k, v) in spec.Labels)
        {
            w.WriteString(k, v);
        }

        w.WriteEndObject();
        w.WritePropertyName("run");
        WriteRunSpec(w, spec.Run);
        w.WriteStartArray("dependencies");
        foreach (var p in spec.Dependencies)
        {
            w.WriteStartObject();
            w.WriteString("id", p);
            w.WriteEndObject();
        }

        w.WriteEndArray();

        // Metronome lists schedules only when embedded; they are always given here since a job's schedule is part of
        // what the UI and the CLI show, and clients ignore fields they do not know.
        w.WriteStartArray("schedules");
        foreach (var s in spec.Schedules)
        {
            WriteSchedule(w, s, entry.Status.NextDue.TryGetValue(s.Id, out var next) ? next : null);
        }

        w.WriteEndArray();
        if (embed.HasFlag(Embed.ActiveRuns))
        {
            w.WriteStartArray("activeRuns");
            foreach (var run in entry.Active)
            {
                WriteRun(w, run);
            }

            w.WriteEndArray();
        }

        if (embed.HasFlag(Embed.History) || embed.HasFlag(Embed.HistorySummary))
        {
            w.WritePropertyName(embed.HasFlag(Embed.History) ? "history" : "historySummary");
            WriteHistory(w, entry.Status, full: embed.HasFlag(Embed.History));
        }

        w.WriteEndObject();
    }

    public static void WriteRunSpec(Utf8JsonWriter w, RunSpec run)
    {
        w.WriteStartObject();
        if (run.Cmd is { } cmd)
        {
            w.WriteString("cmd", cmd);
        }

        if (run.Args.Count > 0)
        {
            w.WriteStartArray("args");
            foreach (var a in run.Args)
            {
                w.WriteStringValue(a);
            }

            w.WriteEndArray();
        }

        w.WriteNumber("cpus", run.Cpus);
        w.WriteNumber("mem", run.Mem);
        w.WriteNumber("disk", run.Disk);
        w.WriteStartObject("env");
        foreach (var (k, v) in run.Env)
        {
            w.WriteString(k, v);
        }

        w.WriteEndObject();
        if (run.DockerImage is { } image)
        {
            w.WriteStartObject("docker");
            w.WriteString("image", image);
            w.WriteEndObject();
        }

        w.WriteStartObject("placement");
        w.WriteStartArray("constraints");
        foreach (var c in run.Constraints)
        {
            w.WriteStartObject();
            w.WriteString("attribute", c.Attribute);
            w.WriteString("operator", c.Operator);
            w.WriteString("value", c.Value);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteStartObject("restart");
        w.WriteString("policy", run.Restart.Policy == RestartPolicy.OnFailure ? "ON_FAILURE" : "NEVER");
        if (run.Restart.ActiveDeadlineSeconds is { } deadline)
        {
            w.WriteNumber("activeDeadlineSeconds", deadline);
        }

        if (run.Restart.MaxRetries is { } retries)
        {
            w.WriteNumber("maxRetries", retries);
        }

        w.WriteEndObject();
        w.WriteNumber("maxLaunchDelay", run.MaxLaunchDelay);
        w.WriteEndObject();
    }

    public static void WriteSchedule(Utf8JsonWriter w, ScheduleSpec s, DateTimeOffset? next)
    {
        w.WriteStartObject();
        w.WriteString("id", s.Id);
        if (s.Cron is { } cron)
        {
            w.WriteString("cron", cron);
        }

        if (s.Iso8601 is { } iso)
        {
            w.WriteString("iso8601", iso);
        }

        w.WriteString("timezone", s.TimeZone);
        w.WriteNumber("startingDeadlineSeconds", s.StartingDeadlineSeconds);
        w.WriteString("concurrencyPolicy", ScheduleParser.Name(s.ConcurrencyPolicy));
        w.WriteString("missedRuns", ScheduleParser.Name(s.MissedRuns));
        w.WriteBoolean("enabled", s.Enabled);
        if (next is { } n)
        {
            w.WriteString("nextRunAt", Time(n));
        }

        w.WriteEndObject();
    }

    public static void WriteRun(Utf8JsonWriter w, JobRun run)
    {
        w.WriteStartObject();
        w.WriteString("id", run.Id);
        w.WriteString("jobId", run.JobId);
        w.WriteString("status", run.Status.ToString().ToUpperInvariant());
        w.WriteString("createdAt", Time(run.CreatedAt));
        w.WriteString("scheduledAt", Time(run.DueAt));
        w.WriteString("trigger", run.Trigger);
        if (run.CompletedAt is { } done)
        {
            w.WriteString("completedAt", Time(done));
        }
        else
        {
            w.WriteNull("completedAt");
        }

        if (run.Reason is { } reason)
        {
            w.WriteString("reason", reason);
        }

        w.WriteStartArray("tasks");
        foreach (var t in run.Tasks.Where(t => t.Launched))
        {
            w.WriteStartObject();
            w.WriteString("id", t.Id);
            w.WriteString("status", t.Status);
            if (t.StartedAt is { } s)
            {
                w.WriteString("startedAt", Time(s));
            }

            if (t.CompletedAt is { } c)
            {
                w.WriteString("completedAt", Time(c));
            }

            if (t.Host is { } h)
            {
                w.WriteString("host", h);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteHistory(Utf8JsonWriter w, JobStatus s, bool full)
    {
        w.WriteStartObject();
        w.WriteNumber("successCount", s.SuccessCount);
        w.WriteNumber("failureCount", s.FailureCount);
        w.WriteNumber("skippedCount", s.SkippedCount);
        WriteTime(w, "lastSuccessAt", s.LastSuccessAt);
        WriteTime(w, "lastFailureAt", s.LastFailureAt);
        WriteTime(w, "lastSkippedAt", s.LastSkippedAt);
        if (full)
        {
            WriteEntries(w, "successfulFinishedRuns", s.Successful);
            WriteEntries(w, "failedFinishedRuns", s.Failed);
            w.WriteStartArray("skippedRuns");
            foreach (var k in s.Skipped)
            {
                w.WriteStartObject();
                w.WriteString("scheduleId", k.ScheduleId);
                w.WriteString("scheduledAt", Time(k.ScheduledAt));
                w.WriteString("recordedAt", Time(k.RecordedAt));
                w.WriteString("reason", k.Reason);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }

        w.WriteEndObject();
    }

    private static void WriteEntries(Utf8JsonWriter w, string name, List<HistoryEntry> entries)
    {
        w.WriteStartArray(name);
        foreach (var e in entries)
        {
            w.WriteStartObject();
            w.WriteString("id", e.Id);
            w.WriteString("createdAt", Time(e.CreatedAt));
            w.WriteString("finishedAt", Time(e.FinishedAt));
            w.WriteString("trigger", e.Trigger);
            if (e.Reason is { } r)
            {
                w.WriteString("reason", r);
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteTime(Utf8JsonWriter w, string name, DateTimeOffset? t)
    {
        if (t is { } v)
        {
            w.WriteString(name, Time(v));
        }
        else
        {
            w.WriteNull(name);
        }
    }

    /// <summary>Parses <c>embed=a,b&amp;embed=c</c>.</summary>
    public static Embed ParseEmbed(IEnumerable<string?> values)
    {
        var embed = Embed.None;
        foreach (var v in values.SelectMany(v => (v ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
        {
            embed |= v switch
            {
                "activeRuns" => Embed.ActiveRuns,
                "history" => Embed.History,
                "historySummary" => Embed.HistorySummary,
                "schedules" => Embed.Schedules,
                _ => Embed.None,
            };
        }

        return embed;
    }
}
