using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Minuet.Cli.Client;

/// <summary>Tables for <c>minuet job list</c> and <c>job history</c> from Metronome's JSON.</summary>
internal static class JobTables
{
    public static string? Jobs(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var rows = new List<string[]>();
            foreach (var job in doc.RootElement.EnumerateArray())
            {
                string schedule = "-", next = "-";
                if (job.TryGetProperty("schedules", out var schedules) && schedules.ValueKind == JsonValueKind.Array && schedules.GetArrayLength() > 0)
                {
                    var s = schedules[0];
                    schedule = (Str(s, "cron") ?? Str(s, "iso8601") ?? "?") + " " + (Str(s, "timezone") ?? "UTC") + (s.TryGetProperty("enabled", out var en) && en.ValueKind == JsonValueKind.False ? " (disabled)" : string.Empty);
                    next = Str(s, "nextRunAt") ?? "-";
                }
                else if (job.TryGetProperty("dependencies", out var deps) && deps.ValueKind == JsonValueKind.Array && deps.GetArrayLength() > 0)
                {
                    schedule = "after " + string.Join("+", deps.EnumerateArray().Select(d => Str(d, "id")));
                }

                var h = job.TryGetProperty("historySummary", out var hs) ? hs : job.TryGetProperty("history", out var hf) ? hf : default;
                int active = job.TryGetProperty("activeRuns", out var runs) && runs.ValueKind == JsonValueKind.Array ? runs.GetArrayLength() : 0;
                rows.Add([
                    Str(job, "id") ?? "?", schedule, next, active.ToString(CultureInfo.InvariantCulture),
                    Num(h, "successCount"), Num(h, "failureCount"), Num(h, "skippedCount"), Str(h, "lastSuccessAt") ?? "-", Str(h, "lastFailureAt") ?? "-",
                ]);
            }

            return rows.Count == 0 ? "No jobs.\n" : TextTable.Format(["ID", "SCHEDULE", "NEXT RUN", "ACTIVE", "OK", "FAILED", "SKIPPED", "LAST SUCCESS", "LAST FAILURE"], rows);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    public static string? History(string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var job = doc.RootElement;
            if (!job.TryGetProperty("history", out var h))
            {
                return null;
            }

            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"{Str(job, "id")}: {Num(h, "successCount")} succeeded, {Num(h, "failureCount")} failed, {Num(h, "skippedCount")} skipped; last success {Str(h, "lastSuccessAt") ?? "never"}, last failure {Str(h, "lastFailureAt") ?? "never"}\n");
            var rows = new List<string[]>();
            if (job.TryGetProperty("activeRuns", out var active))
            {
                foreach (var r in active.EnumerateArray())
                {
                    rows.Add([Str(r, "id") ?? "?", Str(r, "status") ?? "?", Str(r, "createdAt") ?? "-", "-", Str(r, "trigger") ?? "-", Str(r, "reason") ?? string.Empty]);
                }
            }

            var finished = new List<(string Created, string[] Row)>();
            foreach (var (list, status) in new[] { ("successfulFinishedRuns", "SUCCESS"), ("failedFinishedRuns", "FAILED") })
            {
                foreach (var r in h.GetProperty(list).EnumerateArray())
                {
                    var created = Str(r, "createdAt") ?? "-";
                    finished.Add((created, [Str(r, "id") ?? "?", status, created, Str(r, "finishedAt") ?? "-", Str(r, "trigger") ?? "-", Str(r, "reason") ?? string.Empty]));
                }
            }

            rows.AddRange(finished.OrderByDescending(f => f.Created, StringComparer.Ordinal).Select(f => f.Row));
            text.Append(rows.Count == 0 ? "No runs yet.\n" : TextTable.Format(["RUN", "STATUS", "CREATED", "FINISHED", "TRIGGER", "REASON"], rows));
            if (h.TryGetProperty("skippedRuns", out var skipped) && skipped.GetArrayLength() > 0)
            {
                text.Append("Skipped:\n");
                text.Append(TextTable.Format(["SCHEDULED AT", "SCHEDULE", "REASON"], skipped.EnumerateArray().Select(s => new[] { Str(s, "scheduledAt") ?? "-", Str(s, "scheduleId") ?? "-", Str(s, "reason") ?? string.Empty })));
            }

            return text.ToString();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return null;
        }
    }

    public static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static string Num(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetRawText() : "0";
}
