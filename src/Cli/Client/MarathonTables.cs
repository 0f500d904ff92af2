using System.Globalization;
using System.Text.Json;

namespace Minuet.Cli.Client;

/// <summary>Tables for <c>minuet app list</c> and <c>minuet task list</c> from Marathon's JSON.</summary>
internal static class MarathonTables
{
    public static bool TryFormatApps(string json, out string table, out string reason) => TryFormatApps(json, null, out table, out reason);

    /// <summary>The apps table, then why each app short of instances waits (from <paramref name="queueJson"/> and lastTaskFailure).</summary>
    public static bool TryFormatApps(string json, string? queueJson, out string table, out string reason)
    {
        table = string.Empty;
        reason = string.Empty;
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (!doc.RootElement.TryGetProperty("apps", out var apps) || apps.ValueKind != JsonValueKind.Array)
            {
                reason = "no \"apps\" array";
                return false;
            }

            var rows = new List<string[]>();
            foreach (var app in apps.EnumerateArray())
            {
                rows.Add(
                [
                    Text(app, "id"),
                    $"{Int(app, "tasksRunning")}/{Int(app, "instances")}",
                    app.TryGetProperty("healthChecks", out var checks) && checks.ValueKind == JsonValueKind.Array && checks.GetArrayLength() > 0
                        ? $"{Int(app, "tasksHealthy")}/{Int(app, "instances")}" : "-",
                    Vips(app),
                    app.TryGetProperty("deployments", out var d) && d.ValueKind == JsonValueKind.Array && d.GetArrayLength() > 0 ? "deploying" : "-",
                    Shorten(Text(app, "cmd"), 50),
                ]);
            }

            table = rows.Count == 0 ? "No apps.\n" : TextTable.Format(["ID", "RUNNING", "HEALTHY", "VIPS", "DEPLOYMENT", "CMD"], rows) + WaitingReasons.Format(apps, queueJson);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            reason = ex.Message;
            return false;
        }
    }

    public static bool TryFormatTasks(string json, out string table, out string reason) => TryFormatTasks(json, null, out table, out reason);

    /// <summary>The tasks table; with <paramref name="ended"/> (task list --all) also the tasks that ended, with their message.</summary>
    public static bool TryFormatTasks(string json, IReadOnlyList<CompletedTasks.Row>? ended, out string table, out string reason)
    {
        table = string.Empty;
        reason = string.Empty;
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (!doc.RootElement.TryGetProperty("tasks", out var tasks) || tasks.ValueKind != JsonValueKind.Array)
            {
                reason = "no \"tasks\" array";
                return false;
            }

            var rows = new List<string[]>();
            foreach (var task in tasks.EnumerateArray())
            {
                string ports = task.TryGetProperty("ports", out var p) && p.ValueKind == JsonValueKind.Array
                    ? string.Join(',', p.EnumerateArray().Select(x => x.ToString())) : "-";
                rows.Add(ended is null
                    ? [Text(task, "id"), Text(task, "appId"), Text(task, "host"), ports, Text(task, "state"), Health(task), Text(task, "startedAt")]
                    : [Text(task, "id"), Text(task, "appId"), Text(task, "host"), ports, Text(task, "state"), Health(task), Text(task, "startedAt"), "-"]);
            }

            if (ended is null)
            {
                table = rows.Count == 0 ? "No tasks.\n" : TextTable.Format(["ID", "APP", "HOST", "PORTS", "STATE", "HEALTH", "STARTED"], rows);
                return true;
            }

            foreach (var row in ended)
            {
                rows.Add([row.Id, row.App, row.Host, "-", row.State, "-", row.When, Shorten(row.Message, 120)]);
            }

            table = rows.Count == 0 ? "No tasks.\n" : TextTable.Format(["ID", "APP", "HOST", "PORTS", "STATE", "HEALTH", "STARTED/ENDED", "MESSAGE"], rows);
            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            reason = ex.Message;
            return false;
        }
    }

    private static string Health(JsonElement task)
    {
        if (!task.TryGetProperty("healthCheckResults", out var results) || results.ValueKind != JsonValueKind.Array || results.GetArrayLength() == 0)
        {
            return "-";
        }

        return results.EnumerateArray().All(r => r.TryGetProperty("alive", out var alive) && alive.ValueKind == JsonValueKind.True) ? "healthy" : "unhealthy";
    }

    private static string Vips(JsonElement app)
    {
        var vips = new List<string>();
        void Collect(JsonElement list)
        {
            if (list.ValueKind != JsonValueKind.Array)
            {
                return;
            }

            foreach (var port in list.EnumerateArray())
            {
                if (port.TryGetProperty("labels", out var labels) && labels.ValueKind == JsonValueKind.Object)
                {
                    foreach (var label in labels.EnumerateObject())
                    {
                        if (label.Name.StartsWith("VIP_", StringComparison.Ordinal) && label.Value.ValueKind == JsonValueKind.String)
                        {
                            vips.Add(label.Value.GetString()!);
                        }
                    }
                }
            }
        }

        if (app.TryGetProperty("portDefinitions", out var definitions))
        {
            Collect(definitions);
        }

        if (app.TryGetProperty("container", out var container) && container.ValueKind == JsonValueKind.Object
            && container.TryGetProperty("portMappings", out var mappings))
        {
            Collect(mappings);
        }

        return vips.Count == 0 ? "-" : string.Join(',', vips);
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind is JsonValueKind.String or JsonValueKind.Number
            ? value.ToString() : "-";

    private static string Int(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetInt64().ToString(CultureInfo.InvariantCulture) : "0";

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 3)] + "...";
}
