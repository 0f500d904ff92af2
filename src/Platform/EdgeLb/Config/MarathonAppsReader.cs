using System.Globalization;
using System.Text.Json;

namespace Minuet.Platform.EdgeLb.Config;

/// <summary>
/// Reads <c>GET /v2/apps?embed=apps.tasks</c>. Tolerant of Marathon 1.4 (<c>container.docker.portMappings</c>) and 1.5+
/// (<c>container.portMappings</c>, <c>networks</c>) shapes; an app it cannot read is reported, the others still load.
/// </summary>
internal static class MarathonAppsReader
{
    public static (List<MarathonApp> Apps, List<Rejection> Problems) Parse(string json)
    {
        var apps = new List<MarathonApp>();
        var problems = new List<Rejection>();
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            problems.Add(new Rejection("(all)", "body", $"not JSON: {e.Message}"));
            return (apps, problems);
        }

        using (doc)
        {
            if (!doc.RootElement.TryGetProperty("apps", out var list) || list.ValueKind != JsonValueKind.Array)
            {
                problems.Add(new Rejection("(all)", "apps", "missing or not an array"));
                return (apps, problems);
            }

            int index = 0;
            foreach (var app in list.EnumerateArray())
            {
                string id = app.TryGetProperty("id", out var idEl) && idEl.ValueKind == JsonValueKind.String ? idEl.GetString()! : "";
                if (!id.StartsWith('/'))
                {
                    problems.Add(new Rejection($"apps[{index}]", "id", "missing or not an absolute app id"));
                }
                else
                {
                    try
                    {
                        apps.Add(ReadApp(id, app));
                    }
                    catch (Exception e) when (e is InvalidOperationException or FormatException or KeyNotFoundException)
                    {
                        problems.Add(new Rejection(id, "app", $"unreadable: {e.Message}"));
                    }
                }

                index++;
            }
        }

        return (apps, problems);
    }

    private static MarathonApp ReadApp(string id, JsonElement app)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (app.TryGetProperty("labels", out var l) && l.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in l.EnumerateObject())
            {
                labels[p.Name] = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : p.Value.GetRawText();
            }
        }

        var servicePorts = new List<int?>();
        var containerPorts = new List<int>();
        bool hasMappings = false;
        foreach (var mappings in MappingArrays(app))
        {
            hasMappings = true;
            foreach (var m in mappings.EnumerateArray())
            {
                servicePorts.Add(Int(m, "servicePort") is { } sp and > 0 ? sp : null);
                containerPorts.Add(Int(m, "containerPort") ?? 0);
            }
        }

        if (!hasMappings && app.TryGetProperty("portDefinitions", out var defs) && defs.ValueKind == JsonValueKind.Array)
        {
            foreach (var d in defs.EnumerateArray())
            {
                servicePorts.Add(Int(d, "port") is { } p and > 0 ? p : null);
            }
        }
        else if (!hasMappings && app.TryGetProperty("ports", out var ports) && ports.ValueKind == JsonValueKind.Array)
        {
            foreach (var p in ports.EnumerateArray())
            {
                servicePorts.Add(p.TryGetInt32(out int v) && v > 0 ? v : null);
            }
        }

        bool ipPerTask = IsIpPerTask(app);
        if (ipPerTask && DiscoveryPorts(app) is { Count: > 0 } discovery)
        {
            containerPorts = discovery; // marathon-lb's get_app_task_ports: discovery ports before port mappings
        }

        var checks = new List<MarathonHealthCheck>();
        if (app.TryGetProperty("healthChecks", out var hc) && hc.ValueKind == JsonValueKind.Array)
        {
            foreach (var c in hc.EnumerateArray())
            {
                checks.Add(new MarathonHealthCheck(
                    Str(c, "protocol") ?? "HTTP",
                    Str(c, "path") ?? "/",
                    Int(c, "portIndex"),
                    Int(c, "port"),
                    Int(c, "intervalSeconds") ?? 60,
                    Int(c, "timeoutSeconds") ?? 20,
                    Int(c, "maxConsecutiveFailures") ?? 3) { GracePeriodSeconds = Int(c, "gracePeriodSeconds") ?? 300 });
            }
        }

        var tasks = new List<MarathonTask>();
        if (app.TryGetProperty("tasks", out var ts) && ts.ValueKind == JsonValueKind.Array)
        {
            foreach (var t in ts.EnumerateArray())
            {
                tasks.Add(ReadTask(t));
            }
        }

        DateTimeOffset? lastScaling = app.TryGetProperty("versionInfo", out var vi) && Str(vi, "lastScalingAt") is { } s
            && DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;
        return new MarathonApp(id, Int(app, "instances") ?? 0, labels, servicePorts, containerPorts, ipPerTask, checks, tasks, lastScaling);
    }

    private static MarathonTask ReadTask(JsonElement t)
    {
        var ports = new List<int>();
        if (t.TryGetProperty("ports", out var p) && p.ValueKind == JsonValueKind.Array)
        {
            foreach (var v in p.EnumerateArray())
            {
                ports.Add(v.TryGetInt32(out int port) ? port : 0);
            }
        }

        var ips = new List<string>();
        if (t.TryGetProperty("ipAddresses", out var ia) && ia.ValueKind == JsonValueKind.Array)
        {
            foreach (var a in ia.EnumerateArray())
            {
                if (Str(a, "ipAddress") is { } ip)
                {
                    ips.Add(ip);
                }
            }
        }

        List<bool>? alive = null;
        if (t.TryGetProperty("healthCheckResults", out var hr) && hr.ValueKind == JsonValueKind.Array)
        {
            alive = [];
            foreach (var r in hr.EnumerateArray())
            {
                alive.Add(r.TryGetProperty("alive", out var a) && a.ValueKind == JsonValueKind.True);
            }
        }

        return new MarathonTask(Str(t, "id") ?? "", Str(t, "host") ?? "", ports, ips, Str(t, "state") ?? "TASK_RUNNING", alive)
        {
            Draining = t.TryGetProperty("draining", out var d) && d.ValueKind == JsonValueKind.True,
        };
    }

    /// <summary>Marathon 1.4 IP-per-task apps: <c>ipAddress.discovery.ports[].number</c>.</summary>
    private static List<int> DiscoveryPorts(JsonElement app)
    {
        var ports = new List<int>();
        if (app.TryGetProperty("ipAddress", out var ip) && ip.ValueKind == JsonValueKind.Object
            && ip.TryGetProperty("discovery", out var discovery) && discovery.ValueKind == JsonValueKind.Object
            && discovery.TryGetProperty("ports", out var list) && list.ValueKind == JsonValueKind.Array)
        {
            foreach (var p in list.EnumerateArray())
            {
                if (Int(p, "number") is { } number and > 0)
                {
                    ports.Add(number);
                }
            }
        }

        return ports;
    }

    private static IEnumerable<JsonElement> MappingArrays(JsonElement app)
    {
        if (!app.TryGetProperty("container", out var c) || c.ValueKind != JsonValueKind.Object)
        {
            yield break;
        }

        if (c.TryGetProperty("portMappings", out var pm) && pm.ValueKind == JsonValueKind.Array)
        {
            yield return pm;
        }
        else if (c.TryGetProperty("docker", out var d) && d.ValueKind == JsonValueKind.Object
            && d.TryGetProperty("portMappings", out var dpm) && dpm.ValueKind == JsonValueKind.Array)
        {
            yield return dpm;
        }
    }

    /// <summary>A task has its own IP when the app joins a container network that is not bridged, as marathon-lb decides.</summary>
    private static bool IsIpPerTask(JsonElement app)
    {
        if (app.TryGetProperty("ipAddress", out var ip) && ip.ValueKind == JsonValueKind.Object)
        {
            return true;
        }

        if (app.TryGetProperty("networks", out var n) && n.ValueKind == JsonValueKind.Array)
        {
            foreach (var net in n.EnumerateArray())
            {
                if (Str(net, "mode") == "container")
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static string? Str(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static int? Int(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i) ? i : null;
}
