using System.Text.Json;
using Minuet.TestSupport;

namespace Minuet.IntegrationTests.EndToEnd;

/// <summary>
/// The whole loop in network namespaces: master + scheduler on one host, three agent hosts each with a data plane,
/// a client. An app of 3 instances with a named VIP and an HTTP health check is deployed, found by DNS, reached
/// through its VIP, and healed: a killed task, an unhealthy one, a lost agent, a master restart.
/// </summary>
public sealed partial class EndToEndNetnsTests
{
    private const string VipName = "web.marathon.l4lb.thisdcos.directory";

    private static readonly Dictionary<string, string[]> RefusedReferenceFiles = new()
    {
        ["app-full-reference.json"] = ["/container/docker/image", "/container/docker/parameters/0/key"],
    };

    [NetnsFact]
    public async Task Cluster_AppWithVipAndHealthCheck_DiscoveredBalancedAndHealed()
    {
        using var cluster = E2eCluster.Create();
        await StartAsync(cluster);

        string appFile = Path.Combine(Path.GetTempPath(), $"minuet-e2e-{cluster.Id}-web.json");
        await File.WriteAllTextAsync(appFile, AppJson());
        try
        {
            var (status, body) = cluster.Marathon("POST", "/v2/apps", bodyFile: appFile);
            Assert.True(status == 201, $"POST /v2/apps answered {status}: {body}");
        }
        finally
        {
            File.Delete(appFile);
        }

        await cluster.WaitAsync(() => HealthyTasks(cluster).Count == 3, "3 healthy tasks", TimeSpan.FromSeconds(90));
        await ExpectDiscoveryFollowsAsync(cluster, "the first deployment");

        // DNS from the client host: the app's A records and the SRV records of its port.
        var (_, a) = E2eCluster.In(cluster.Client, $"dig +short +time=2 +tries=2 @{E2eCluster.AgentIp(0)} web.marathon.mesos");
        var hosts = HealthyTasks(cluster).Select(t => t.Host).ToHashSet();
        Assert.Equal(hosts, Lines(a).ToHashSet());
        var (_, srv) = E2eCluster.In(cluster.Client, $"dig +short +time=2 +tries=2 @{E2eCluster.AgentIp(0)} SRV _web._tcp.marathon.mesos");
        Assert.Equal(3, Lines(srv).Count);

        // The VIP name, 30 times, from an agent host: every instance answers.
        var (_, vipAnswer) = E2eCluster.In(cluster.Client, $"dig +short +time=2 +tries=2 @{E2eCluster.AgentIp(0)} {VipName}");
        string vip = Assert.Single(Lines(vipAnswer));
        Assert.StartsWith("198.19.", vip, StringComparison.Ordinal);
        var seen = new HashSet<string>();
        for (int i = 0; i < 30; i++)
        {
            var (code, answer) = E2eCluster.In(cluster.Agents[0], $"curl -s --max-time 3 http://{vip}:80/");
            Assert.True(code == 0, $"curl {vip}:80 failed ({code}): {answer}\n{cluster.Logs()}");
            seen.Add(answer.Split(' ')[0]);
        }

        Assert.Equal(HealthyTasks(cluster).Select(t => t.Id).ToHashSet(), seen);

        // Kill one task's process: Marathon replaces it and DNS/VIP follow.
        var victim = HealthyTasks(cluster)[0];
        int agentIndex = AgentIndexOf(victim.Host);
        var (_, listeners) = E2eCluster.In(cluster.Agents[agentIndex], $"ss -Hltnp sport = :{victim.Port}");
        var pid = System.Text.RegularExpressions.Regex.Match(listeners, @"pid=(\d+)");
        Assert.True(pid.Success, $"no listener for {victim.Port}: {listeners}");
        E2eCluster.In(cluster.Agents[agentIndex], $"kill -9 {pid.Groups[1].Value}");
        await cluster.WaitAsync(() => HealthyTasks(cluster) is { Count: 3 } t && t.All(x => x.Id != victim.Id), "the killed task replaced", TimeSpan.FromSeconds(90));
        await ExpectDiscoveryFollowsAsync(cluster, "the kill");

        // Make one instance fail its health check: it leaves DNS and the VIP at once, then is replaced.
        var sick = HealthyTasks(cluster)[1];
        E2eCluster.In(cluster.Client, $"curl -s --max-time 3 http://{sick.Host}:{sick.Port}/fail");
        await cluster.WaitAsync(() => !Services(cluster, 0).Contains($"{sick.Host}:{sick.Port}") || !ServingTaskIds(cluster).Contains(sick.Id), "the unhealthy task leaving DNS", TimeSpan.FromSeconds(30));
        await cluster.WaitAsync(() => !VipBackends(cluster, 0, vip).Contains($"{sick.Host}:{sick.Port}") || !ServingTaskIds(cluster).Contains(sick.Id), "the unhealthy task leaving the VIP", TimeSpan.FromSeconds(30));
        await cluster.WaitAsync(() => HealthyTasks(cluster) is { Count: 3 } t && t.All(x => x.Id != sick.Id), "the unhealthy task replaced", TimeSpan.FromSeconds(90));
        await ExpectDiscoveryFollowsAsync(cluster, "the health failure");

        // Take agent 3 down (agent, data plane and its tasks): its tasks run elsewhere.
        cluster.AgentProcesses[2]!.Kill();
        cluster.DataPlanes[2]!.Kill();
        NetnsPidsKill(cluster.Agents[2]);
        await cluster.WaitAsync(() => HealthyTasks(cluster) is { Count: 3 } t && t.All(x => x.Host != E2eCluster.AgentIp(2)), "tasks moved off the lost agent", TimeSpan.FromSeconds(120));
        await ExpectDiscoveryFollowsAsync(cluster, "the agent loss");

        // Restart the master: the app and its tasks are intact.
        var before = HealthyTasks(cluster).Select(t => t.Id).ToHashSet();
        Assert.True(cluster.MasterProcess!.Stop(), "master stops on SIGTERM");
        cluster.StartMaster();
        await cluster.WaitAsync(() => E2eCluster.In(cluster.Client, $"curl -sf --max-time 2 http://{E2eCluster.MasterIp}:5050/health").Code == 0, "master back", TimeSpan.FromSeconds(30));
        await cluster.WaitAsync(() => MasterRunningTaskIds(cluster).SetEquals(before), "tasks back in /master/state", TimeSpan.FromSeconds(60));
        await Task.Delay(3000);
        Assert.Equal(before, HealthyTasks(cluster).Select(t => t.Id).ToHashSet());
        var (appStatus, app) = cluster.Marathon("GET", "/v2/apps/web");
        Assert.Equal(200, appStatus);
        Assert.Contains("\"instances\":3", app, StringComparison.Ordinal);
        await ExpectDiscoveryFollowsAsync(cluster, "the master restart");

        // /web was given service port 10000 (Marathon's first auto-assigned one), which the marathon-lb reference
        // group asks for explicitly; Marathon refuses a service port another app holds ("Requested service port
        // 10000 conflicts with a service port in use by app /web"), and so does Minuet. The reference bodies are
        // judged each on its own against an empty cluster, so /web goes first.
        var (webDeleted, webDeleteBody) = cluster.Marathon("DELETE", "/v2/apps/web?force=true");
        Assert.True(webDeleted is 200 or 202, $"DELETE /v2/apps/web answered {webDeleted}: {webDeleteBody}");
        await cluster.WaitAsync(() => cluster.Marathon("GET", "/v2/apps/web").Status == 404, "/web gone", TimeSpan.FromSeconds(30));

        // Every reference body: deployed, or refused with a 422 naming the field.
        foreach (string file in Directory.EnumerateFiles(ReferenceDir, "*.json").Order(StringComparer.Ordinal))
        {
            string name = Path.GetFileName(file);
            bool group;
            string id;
            using (var definition = JsonDocument.Parse(File.ReadAllText(file)))
            {
                group = definition.RootElement.TryGetProperty("groups", out _);
                id = definition.RootElement.TryGetProperty("id", out var idValue) ? idValue.GetString() ?? string.Empty : string.Empty;
            }

            var (status, body) = cluster.Marathon("POST", group ? "/v2/groups" : "/v2/apps", bodyFile: file);
            if (RefusedReferenceFiles.TryGetValue(name, out var paths))
            {
                Assert.True(status == 422, $"{name}: expected 422, got {status}: {body}");
                using var doc = JsonDocument.Parse(body);
                var reported = doc.RootElement.GetProperty("details").EnumerateArray().Select(d => d.GetProperty("path").GetString()).ToHashSet();
                foreach (string path in paths)
                {
                    Assert.True(reported.Contains(path), $"{name}: 422 does not name {path}: {body}");
                }
            }
            else
            {
                Assert.True(status is 200 or 201, $"{name}: expected it deployed, got {status}: {body}");

                // Each file is judged on its own: several reference apps claim the same fixed service port, which
                // Marathon (and Minuet) refuse while the first one still exists.
                Assert.False(string.IsNullOrEmpty(id.Trim('/')), $"{name}: a reference body without its own id would be deleted with the root group");
                string resource = (group ? "/v2/groups/" : "/v2/apps/") + id.TrimStart('/') + "?force=true";
                var (deleted, deleteBody) = cluster.Marathon("DELETE", resource);
                Assert.True(deleted is 200 or 202, $"{name}: DELETE {resource} answered {deleted}: {deleteBody}");
            }
        }
    }

    private static string ReferenceDir =>
        Directory.Exists("/work/shared/reference/marathon") ? "/work/shared/reference/marathon"
            : Path.Combine(AppContext.BaseDirectory, "Scheduler", "Fixtures");

    private static async Task StartAsync(E2eCluster cluster)
    {
        cluster.StartMaster();
        await cluster.WaitAsync(() => E2eCluster.In(cluster.Client, $"curl -sf --max-time 2 http://{E2eCluster.MasterIp}:5050/health").Code == 0, "master up", TimeSpan.FromSeconds(60));
        cluster.StartScheduler();
        for (int i = 0; i < 3; i++)
        {
            cluster.StartAgent(i);
        }

        await cluster.WaitAsync(() => cluster.Marathon("GET", "/ping").Status == 200, "scheduler up", TimeSpan.FromSeconds(60));
        await cluster.WaitAsync(() => ActiveAgents(cluster) == 3, "3 agents registered", TimeSpan.FromSeconds(60));
        for (int i = 0; i < 3; i++)
        {
            int index = i;
            await cluster.WaitAsync(() => E2eCluster.In(cluster.Agents[index], "curl -sf --max-time 2 http://127.0.0.1:61421/metrics").Code == 0, $"data plane {index} up", TimeSpan.FromSeconds(60));
        }
    }

    /// <summary>DNS (the data plane's /v1/services) and the VIP table on every live agent list exactly the healthy tasks.</summary>
    private static async Task ExpectDiscoveryFollowsAsync(E2eCluster cluster, string after)
    {
        for (int i = 0; i < 3; i++)
        {
            if (cluster.DataPlanes[i]?.HasExited != false)
            {
                continue;
            }

            int index = i;
            await cluster.WaitAsync(
                () => HealthyTasks(cluster).Select(t => $"{t.Host}:{t.Port}").ToHashSet() is var expected
                    && expected.Count == 3 && Services(cluster, index).SetEquals(expected) && VipBackends(cluster, index, null).SetEquals(expected),
                $"DNS and VIP on agent {index + 1} following {after}", TimeSpan.FromSeconds(15));
        }
    }

    private static string AppJson() => JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["id"] = "/web",
        ["cmd"] = $"exec dotnet {NetnsProcess.MinuetDll} test-server",
        ["instances"] = 3,
        ["cpus"] = 0.1,
        ["mem"] = 64,
        ["portDefinitions"] = new[] { new Dictionary<string, object> { ["port"] = 0, ["name"] = "http", ["labels"] = new Dictionary<string, string> { ["VIP_0"] = "/web:80" } } },
        ["healthChecks"] = new[]
        {
            new Dictionary<string, object>
            {
                ["protocol"] = "HTTP", ["path"] = "/health", ["portIndex"] = 0, ["gracePeriodSeconds"] = 20,
                ["intervalSeconds"] = 1, ["timeoutSeconds"] = 2, ["maxConsecutiveFailures"] = 2,
            },
        },
        ["constraints"] = new[] { new[] { "hostname", "MAX_PER", "2" } },
        ["backoffSeconds"] = 1,
    });

    private static List<(string Id, string Host, int Port, bool Healthy)> HealthyTasks(E2eCluster cluster) =>
        [.. cluster.Tasks("/web").Where(t => t.Healthy)];

    private static HashSet<string> ServingTaskIds(E2eCluster cluster) => [.. HealthyTasks(cluster).Select(t => t.Id)];

    private static int AgentIndexOf(string host) => Enumerable.Range(0, 3).First(i => E2eCluster.AgentIp(i) == host);

    private static List<string> Lines(string text) => [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];

    private static void NetnsPidsKill(string ns) =>
        Minuet.IntegrationTests.L4lb.NetnsRunner.TrySh($"for p in $(ip netns pids {ns}); do kill -9 $p; done");
}
