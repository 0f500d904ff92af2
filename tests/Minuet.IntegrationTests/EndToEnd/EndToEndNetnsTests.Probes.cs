using System.Text.Json;

namespace Minuet.IntegrationTests.EndToEnd;

/// <summary>What the end-to-end test reads from the cluster: data-plane services and VIPs, master state.</summary>
public sealed partial class EndToEndNetnsTests
{
    /// <summary>"ip:port" of the app's SRV targets, from agent <paramref name="index"/>'s data plane (<c>/v1/services</c>).</summary>
    private static HashSet<string> Services(E2eCluster cluster, int index)
    {
        var (code, body) = E2eCluster.In(cluster.Agents[index], "curl -s --max-time 2 http://127.0.0.1:61421/v1/services/_web._tcp.marathon.mesos.");
        var result = new HashSet<string>();
        if (code != 0)
        {
            return result;
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            foreach (var service in doc.RootElement.EnumerateArray())
            {
                string ip = service.GetProperty("ip").GetString() ?? string.Empty;
                string port = service.GetProperty("port").ToString();
                if (ip.Length > 0 && port.Length > 0)
                {
                    result.Add($"{ip}:{port}");
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
        }

        return result;
    }

    /// <summary>"ip:port" of the VIP's backends that take traffic, from agent <paramref name="index"/>'s <c>/vips</c>.</summary>
    private static HashSet<string> VipBackends(E2eCluster cluster, int index, string? vip)
    {
        var (code, body) = E2eCluster.In(cluster.Agents[index], "curl -s --max-time 2 http://127.0.0.1:61421/vips");
        var result = new HashSet<string>();
        if (code != 0)
        {
            return result;
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            foreach (var entry in doc.RootElement.GetProperty("vips").EnumerateObject())
            {
                if (vip is not null && !entry.Name.StartsWith(vip + ":", StringComparison.Ordinal))
                {
                    continue;
                }

                foreach (var backend in entry.Value.EnumerateObject())
                {
                    if (!backend.Value.TryGetProperty("weight", out var weight) || weight.GetInt32() > 0)
                    {
                        result.Add(backend.Name);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
        }

        return result;
    }

    private static int ActiveAgents(E2eCluster cluster)
    {
        var (code, body) = E2eCluster.In(cluster.Client, $"curl -s --max-time 2 http://{E2eCluster.MasterIp}:5050/master/state");
        if (code != 0)
        {
            return 0;
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            return doc.RootElement.GetProperty("slaves").EnumerateArray().Count(s => s.GetProperty("active").GetBoolean());
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
            return 0;
        }
    }

    private static HashSet<string> MasterRunningTaskIds(E2eCluster cluster)
    {
        var (code, body) = E2eCluster.In(cluster.Client, $"curl -s --max-time 2 http://{E2eCluster.MasterIp}:5050/master/state");
        var ids = new HashSet<string>();
        if (code != 0)
        {
            return ids;
        }

        try
        {
            using var doc = JsonDocument.Parse(body);
            foreach (var framework in doc.RootElement.GetProperty("frameworks").EnumerateArray())
            {
                foreach (var task in framework.GetProperty("tasks").EnumerateArray())
                {
                    if (task.GetProperty("state").GetString() == "TASK_RUNNING")
                    {
                        ids.Add(task.GetProperty("id").GetString()!);
                    }
                }
            }
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or KeyNotFoundException)
        {
        }

        return ids;
    }
}
