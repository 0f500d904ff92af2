using System.Text.Json;

namespace Minuet.Cli.Client;

/// <summary>
/// Tasks of the Marathon framework that ended, from the master's <c>/master/state</c> (Marathon itself keeps only each
/// app's last failure), for <c>minuet task list --all</c>: id, app, host, state, when, and the last status message.
/// </summary>
internal static class CompletedTasks
{
    public sealed record Row(string Id, string App, string Host, string State, string When, string Message);

    /// <summary>The master's URL from Marathon's <c>/v2/info</c> (<c>marathon_config.master</c>: a URL or <c>master@host:port</c>).</summary>
    public static string? MasterFromInfo(string infoJson)
    {
        try
        {
            using var doc = JsonDocument.Parse(infoJson);
            if (!doc.RootElement.TryGetProperty("marathon_config", out var config) || !config.TryGetProperty("master", out var master) || master.GetString() is not { } text)
            {
                return null;
            }

            if (text.StartsWith("http://", StringComparison.Ordinal) || text.StartsWith("https://", StringComparison.Ordinal))
            {
                return text;
            }

            int at = text.IndexOf('@', StringComparison.Ordinal);
            return at >= 0 ? "http://" + text[(at + 1)..] : null;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>
    /// The completed tasks of frameworks named <paramref name="framework"/>; null when the JSON is not the master's
    /// state. Mesos's state JSON carries no status messages, so a task's message comes from <paramref name="messages"/>
    /// (task id → message: Marathon's <c>lastTaskFailure</c> of each app) when it is there.
    /// </summary>
    public static List<Row>? Parse(string stateJson, IReadOnlyDictionary<string, string>? messages = null, string framework = "marathon")
    {
        try
        {
            using var doc = JsonDocument.Parse(stateJson);
            var root = doc.RootElement;
            if (!root.TryGetProperty("frameworks", out var frameworks) || frameworks.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var hosts = new Dictionary<string, string>(StringComparer.Ordinal);
            if (root.TryGetProperty("slaves", out var agents) && agents.ValueKind == JsonValueKind.Array)
            {
                foreach (var agent in agents.EnumerateArray())
                {
                    hosts[Text(agent, "id")] = Text(agent, "hostname");
                }
            }

            var rows = new List<Row>();
            foreach (var f in frameworks.EnumerateArray().Where(f => Text(f, "name") == framework))
            {
                if (!f.TryGetProperty("completed_tasks", out var tasks) || tasks.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var task in tasks.EnumerateArray())
                {
                    var (when, message) = LastStatus(task);
                    if (message == "-" && messages?.GetValueOrDefault(Text(task, "id")) is { Length: > 0 } known)
                    {
                        message = known;
                    }

                    rows.Add(new Row(Text(task, "id"), AppOf(Text(task, "name")), hosts.GetValueOrDefault(Text(task, "slave_id"), Text(task, "slave_id")), Text(task, "state"), when, message));
                }
            }

            return rows;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Task id → message of each app's <c>lastTaskFailure</c> in a <c>/v2/apps?embed=apps.lastTaskFailure</c> answer.</summary>
    public static Dictionary<string, string> FailureMessages(string appsJson)
    {
        var messages = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            using var doc = JsonDocument.Parse(appsJson);
            if (doc.RootElement.TryGetProperty("apps", out var apps) && apps.ValueKind == JsonValueKind.Array)
            {
                foreach (var app in apps.EnumerateArray())
                {
                    if (app.TryGetProperty("lastTaskFailure", out var failure) && failure.ValueKind == JsonValueKind.Object && Text(failure, "taskId") is not "-" and var id)
                    {
                        messages[id] = Text(failure, "message");
                    }
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            // Without them, ended tasks are listed without messages.
        }

        return messages;
    }

    /// <summary>Marathon names tasks <c>app.group</c>; the app id is <c>/group/app</c>.</summary>
    private static string AppOf(string name) => name == "-" ? name : "/" + string.Join('/', name.Split('.').Reverse());

    private static (string When, string Message) LastStatus(JsonElement task)
    {
        if (!task.TryGetProperty("statuses", out var statuses) || statuses.ValueKind != JsonValueKind.Array || statuses.GetArrayLength() == 0)
        {
            return ("-", "-");
        }

        var last = statuses[statuses.GetArrayLength() - 1];
        string when = last.TryGetProperty("timestamp", out var t) && t.ValueKind == JsonValueKind.Number
            ? DateTimeOffset.FromUnixTimeMilliseconds((long)(t.GetDouble() * 1000)).ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture)
            : "-";

        // The reason is the message of the status that ended it, or the latest one that had a message.
        var message = statuses.EnumerateArray().Reverse().Select(s => Text(s, "message")).FirstOrDefault(m => m is not "-" and { Length: > 0 }) ?? "-";
        return (when, message);
    }

    private static string Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text : "-";
}
