using System.Text.RegularExpressions;
using Minuet.IntegrationTests.EndToEnd;
using Minuet.IntegrationTests.L4lb;
using Minuet.TestSupport;

namespace Minuet.IntegrationTests.EdgeLb;

/// <summary>
/// The edge balancer against a real <c>minuet up</c> in a namespace (Admin Router moved off :80 so HAProxy can take
/// it): an app labelled <c>HAPROXY_GROUP=external</c> with service port 10000 is served on 127.0.0.1:10000 across its
/// healthy tasks, by vhost on :80 and by <c>X-Marathon-App-Id</c> on :9091; scaling adds servers through the runtime
/// API without a reload; a killed task leaves the backend; an app with a bad label is left out and counted.
/// </summary>
public sealed partial class EdgeLbUpNetnsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    [NetnsFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task EdgeLb_UpWithLabelledApp_ServesBalancesScalesAndDropsKilledTask()
    {
        if (!File.Exists("/usr/sbin/haproxy"))
        {
            Assert.Fail("haproxy is not installed (test.sh installs it: apt-get install haproxy)");
        }

        using var up = UpInNetns.Start("melb", "--admin-router-listen", "127.0.0.1:8800", "--l4lb", "off");
        await up.WaitForOutputAsync("cluster running", TimeSpan.FromSeconds(150));
        using var lb = NetnsProcess.Start("edge-lb", up.Namespace, "edge-lb", "--marathon", "http://127.0.0.1:8080", "--group", "external",
            "--haproxy-dir", Path.Combine(up.Dir, "haproxy"));
        await UpInNetns.WaitAsync(() => lb.Output.Contains("HAProxy serving", StringComparison.Ordinal) || lb.HasExited, "edge-lb to start", () => lb.Output, Patience);
        Assert.False(lb.HasExited, lb.Output);
        Assert.StartsWith("HTTP/1.1 200", Sh(up, "curl -s -i 127.0.0.1:9090/_haproxy_health_check"), StringComparison.Ordinal);

        string app = Path.Combine(up.Dir, "web.json");
        await File.WriteAllTextAsync(app, $$$"""
            {"id":"/web","cmd":"exec dotnet {{{NetnsProcess.MinuetDll}}} test-server","instances":2,"cpus":0.1,"mem":64,
             "portDefinitions":[{"port":10000}],
             "healthChecks":[{"protocol":"HTTP","path":"/health","portIndex":0,"gracePeriodSeconds":60,"intervalSeconds":1,"timeoutSeconds":5,"maxConsecutiveFailures":3}],
             "labels":{"HAPROXY_GROUP":"external","HAPROXY_0_VHOST":"web.example.com"}}
            """);
        Assert.Contains("\"id\"", Sh(up, $"curl -s -X POST -H 'Content-Type: application/json' --data @{app} 127.0.0.1:8080/v2/apps"), StringComparison.Ordinal);
        string bad = """{"id":"/bad","cmd":"sleep 1000","instances":0,"portDefinitions":[{"port":10010}],"labels":{"HAPROXY_GROUP":"external","HAPROXY_0_PORT":"70000"}}""";
        await File.WriteAllTextAsync(Path.Combine(up.Dir, "bad.json"), bad);
        Sh(up, $"curl -s -X POST -H 'Content-Type: application/json' --data @{Path.Combine(up.Dir, "bad.json")} 127.0.0.1:8080/v2/apps");

        await WaitForTasksServedAsync(up, 2);
        string vhost = Sh(up, "curl -s -m 5 -H 'Host: web.example.com' 127.0.0.1:80/");
        Assert.Matches(TaskAnswer(), vhost);
        Assert.Matches(TaskAnswer(), Sh(up, "curl -s -m 5 -H 'X-Marathon-App-Id: /web' 127.0.0.1:9091/"));
        Assert.Contains("web_10000,", Sh(up, "curl -s '127.0.0.1:9090/haproxy?stats;csv'"), StringComparison.Ordinal);
        string metrics = Sh(up, "curl -s 127.0.0.1:9090/metrics");
        Assert.Contains("minuet_edgelb_app_rejected{app=\"/bad\",field=\"HAPROXY_0_PORT\"", metrics, StringComparison.Ordinal);
        long reloadsBefore = Counter(metrics, "minuet_edgelb_reloads_total");

        Sh(up, "curl -s -X PUT -H 'Content-Type: application/json' -d '{\"instances\":3}' 127.0.0.1:8080/v2/apps/web");
        var three = await WaitForTasksServedAsync(up, 3);
        string afterScale = Sh(up, "curl -s 127.0.0.1:9090/metrics");
        Assert.True(Counter(afterScale, "minuet_edgelb_runtime_updates_total") > 0, afterScale);
        Assert.Equal(reloadsBefore, Counter(afterScale, "minuet_edgelb_reloads_total")); // the scale needed no reload

        string killed = three[0];
        Sh(up, $"curl -s -X DELETE '127.0.0.1:8080/v2/apps/web/tasks/{killed}?scale=true'");
        await UpInNetns.WaitAsync(() => ServerLines(up).Count == 2, "the killed task's server to leave the backend", () => Sh(up, "curl -s 127.0.0.1:9090/_haproxy_getconfig"), Patience);
        var seen = new HashSet<string>();
        for (int i = 0; i < 20; i++)
        {
            var m = TaskAnswer().Match(Sh(up, "curl -s -m 5 127.0.0.1:10000/"));
            Assert.True(m.Success, "a request after the kill failed");
            seen.Add(m.Groups[1].Value);
        }

        Assert.DoesNotContain(killed, seen);

        // An app whose text HAProxy rejects is left out by the haproxy -c fallback; the rest keep serving.
        string broken = """{"id":"/broken","cmd":"sleep 1000","instances":1,"cpus":0.05,"mem":16,"portDefinitions":[{"port":10020}],"labels":{"HAPROXY_GROUP":"external","HAPROXY_0_BIND_OPTIONS":"no-such-bind-keyword"}}""";
        await File.WriteAllTextAsync(Path.Combine(up.Dir, "broken.json"), broken);
        Sh(up, $"curl -s -X POST -H 'Content-Type: application/json' --data @{Path.Combine(up.Dir, "broken.json")} 127.0.0.1:8080/v2/apps");
        await UpInNetns.WaitAsync(() => Counter(Sh(up, "curl -s 127.0.0.1:9090/metrics"), "minuet_edgelb_config_check_failures_total") > 0,
            "haproxy -c to reject the broken app", () => lb.Output, Patience);
        Assert.DoesNotContain("broken_10020", Sh(up, "curl -s 127.0.0.1:9090/_haproxy_getconfig"), StringComparison.Ordinal);
        Assert.Matches(TaskAnswer(), Sh(up, "curl -s -m 5 127.0.0.1:10000/"));

        // /_mlb_signal/usr1 reloads HAProxy as is.
        long reloads = Counter(Sh(up, "curl -s 127.0.0.1:9090/metrics"), "minuet_edgelb_reloads_total");
        Sh(up, "curl -s 127.0.0.1:9090/_mlb_signal/usr1");
        await UpInNetns.WaitAsync(() => Counter(Sh(up, "curl -s 127.0.0.1:9090/metrics"), "minuet_edgelb_reloads_total") > reloads,
            "the usr1 reload", () => lb.Output, Patience);
        Assert.Matches(TaskAnswer(), Sh(up, "curl -s -m 5 127.0.0.1:10000/"));
    }

    /// <summary>Requests until as many distinct tasks answered on :10000 as expected (round robin), and the config agrees.</summary>
    private static async Task<List<string>> WaitForTasksServedAsync(UpInNetns up, int count)
    {
        var seen = new HashSet<string>();
        await UpInNetns.WaitAsync(() =>
        {
            if (ServerLines(up).Count != count)
            {
                return false;
            }

            for (int i = 0; i < count * 4; i++)
            {
                var m = TaskAnswer().Match(Sh(up, "curl -s -m 5 127.0.0.1:10000/"));
                if (m.Success)
                {
                    seen.Add(m.Groups[1].Value);
                }
            }

            return seen.Count >= count;
        }, $"{count} tasks answering on 127.0.0.1:10000", () => Sh(up, "curl -s 127.0.0.1:9090/_haproxy_getconfig") + "\nseen: " + string.Join(",", seen)
            + "\n" + Sh(up, "curl -s -i -m 5 127.0.0.1:10000/") + "\n" + Sh(up, "curl -s '127.0.0.1:9090/haproxy?stats;csv'"), Patience);
        return [.. seen.Order(StringComparer.Ordinal)];
    }

    private static List<string> ServerLines(UpInNetns up) =>
        [.. Sh(up, "curl -s 127.0.0.1:9090/_haproxy_getconfig").Split('\n').Where(l => l.StartsWith("  server 127_0_0_1_", StringComparison.Ordinal))];

    private static long Counter(string metrics, string name) =>
        long.Parse(Regex.Match(metrics, $"(?m)^{name} (\\d+)$").Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);

    private static string Sh(UpInNetns up, string command) => NetnsRunner.TrySh($"ip netns exec {up.Namespace} {command}").Output;

    [GeneratedRegex(@"^(web\.\S+) \S+:\d+")]
    private static partial Regex TaskAnswer();
}
