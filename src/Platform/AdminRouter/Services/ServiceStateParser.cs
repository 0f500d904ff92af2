using System.Globalization;
using System.Text.Json;

namespace Minuet.Platform.AdminRouter.Services;

/// <summary>
/// Reads the two documents <c>/service/</c> resolution is built from, as DC/OS 1.8's <c>service.lua</c> read them.
/// Null when a document is not what it should be (the last good state is then kept).
/// </summary>
internal static class ServiceStateParser
{
    /// <summary>
    /// <c>/v2/apps?embed=apps.tasks&amp;label=DCOS_SERVICE_NAME</c>: each app with <c>DCOS_SERVICE_NAME</c> and a
    /// TASK_RUNNING task maps its label to <c>DCOS_SERVICE_SCHEME</c> (http by default) <c>://host:ports[DCOS_SERVICE_PORT_INDEX]</c>
    /// (index 0 by default) of its first such task.
    /// </summary>
    public static Dictionary<string, Uri>? MarathonServices(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (!doc.RootElement.TryGetProperty("apps", out var apps) || apps.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var services = new Dictionary<string, Uri>(StringComparer.Ordinal);
            foreach (var app in apps.EnumerateArray())
            {
                if (!app.TryGetProperty("labels", out var labels) || labels.ValueKind != JsonValueKind.Object
                    || Label(labels, "DCOS_SERVICE_NAME") is not { Length: > 0 } name || services.ContainsKey(name))
                {
                    continue;
                }

                string scheme = Label(labels, "DCOS_SERVICE_SCHEME") is { Length: > 0 } s ? s : "http";
                int index = int.TryParse(Label(labels, "DCOS_SERVICE_PORT_INDEX"), NumberStyles.None, CultureInfo.InvariantCulture, out int i) ? i : 0;
                if (scheme is not ("http" or "https") || !app.TryGetProperty("tasks", out var tasks) || tasks.ValueKind != JsonValueKind.Array)
                {
                    continue;
                }

                foreach (var task in tasks.EnumerateArray())
                {
                    if (task.TryGetProperty("state", out var state) && state.GetString() != "TASK_RUNNING")
                    {
                        continue;
                    }

                    if (task.TryGetProperty("host", out var host) && host.GetString() is { Length: > 0 } h
                        && task.TryGetProperty("ports", out var ports) && ports.ValueKind == JsonValueKind.Array && ports.GetArrayLength() > index
                        && ports[index].TryGetInt32(out int port)
                        && Uri.TryCreate($"{scheme}://{h}:{port}/", UriKind.Absolute, out var url))
                    {
                        services[name] = url;
                        break;
                    }
                }
            }

            return services;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>The master's <c>/master/state</c> (or <c>state-summary</c>): each framework's id, name, <c>webui_url</c> and <c>pid</c>.</summary>
    public static List<FrameworkEntry>? Frameworks(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            if (!doc.RootElement.TryGetProperty("frameworks", out var frameworks) || frameworks.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            var list = new List<FrameworkEntry>();
            foreach (var f in frameworks.EnumerateArray())
            {
                string id = f.TryGetProperty("id", out var i) ? i.GetString() ?? string.Empty : string.Empty;
                string name = f.TryGetProperty("name", out var n) ? n.GetString() ?? string.Empty : string.Empty;
                string? webui = f.TryGetProperty("webui_url", out var w) ? (w.ValueKind == JsonValueKind.Null ? null : w.GetString() ?? string.Empty) : string.Empty;
                string pid = f.TryGetProperty("pid", out var p) ? p.GetString() ?? string.Empty : string.Empty;
                list.Add(new FrameworkEntry(id, name, webui, pid));
            }

            return list;
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }

    private static string? Label(JsonElement labels, string key) =>
        labels.TryGetProperty(key, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
