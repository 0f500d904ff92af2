using System.Text.Json;
using Minuet.IntegrationTests.EndToEnd;
using Minuet.IntegrationTests.L4lb;
using Minuet.TestSupport;

namespace Minuet.IntegrationTests.EdgeLb;

/// <summary>
/// <c>minuet package install marathon-lb</c> on <c>minuet up</c> (Admin Router on :80, so <c>bind-http-https: false</c>):
/// the package runs the agent's own minuet (<c>MINUET_BIN</c>) as <c>edge-lb</c> in a Marathon task, which serves an app
/// labelled <c>HAPROXY_GROUP=external</c> on its service port 10000 and answers its health check on :9090.
/// </summary>
public sealed class EdgeLbPackageNetnsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);

    [NetnsFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task PackageInstallMarathonLb_OnUp_ServesExternalAppOnServicePort()
    {
        foreach (string tool in new[] { "/usr/sbin/haproxy", "/bin/busybox" })
        {
            if (!File.Exists(tool))
            {
                Assert.Fail($"{tool} is not installed (test.sh installs haproxy and busybox-static)");
            }
        }

        using var up = UpInNetns.Start("mmlb", "--l4lb", "off");
        await up.WaitForOutputAsync("cluster running", TimeSpan.FromSeconds(150));

        string options = Path.Combine(up.Dir, "mlb-options.json");
        await File.WriteAllTextAsync(options, """{ "marathon-lb": { "bind-http-https": false } }""");
        var install = up.Cli("package", "install", "marathon-lb", "--yes", "--options", options);
        Assert.True(install.Code == 0, install.Output);
        Assert.Contains("/marathon-lb", install.Output, StringComparison.Ordinal);

        string www = Path.Combine(up.Dir, "www");
        Directory.CreateDirectory(www);
        await File.WriteAllTextAsync(Path.Combine(www, "index.html"), "served-by-web\n");
        string app = Path.Combine(up.Dir, "web.json");
        await File.WriteAllTextAsync(app, $$$"""
            {"id":"/web","cmd":"exec busybox httpd -f -p $PORT0 -h {{{www}}}","instances":2,"cpus":0.05,"mem":16,
             "portDefinitions":[{"port":10000}],
             "healthChecks":[{"protocol":"HTTP","path":"/","portIndex":0,"gracePeriodSeconds":60,"intervalSeconds":1,"timeoutSeconds":5,"maxConsecutiveFailures":3}],
             "labels":{"HAPROXY_GROUP":"external"}}
            """);
        Assert.Contains("\"id\"", Sh(up, $"curl -s -X POST -H 'Content-Type: application/json' --data @{app} 127.0.0.1:8080/v2/apps"), StringComparison.Ordinal);

        await UpInNetns.WaitAsync(() => Sh(up, "curl -s -m 5 127.0.0.1:10000/").Trim() == "served-by-web", "the app on 127.0.0.1:10000 through the package's HAProxy",
            () => Sh(up, "curl -s 127.0.0.1:8080/v2/apps/marathon-lb/tasks") + "\n" + Sandbox(up) + "\n" + up.Output, Patience);
        Assert.StartsWith("HTTP/1.1 200", Sh(up, "curl -s -i -m 5 127.0.0.1:9090/_haproxy_health_check"), StringComparison.Ordinal);
        Assert.Contains("web_10000,", Sh(up, "curl -s -m 5 '127.0.0.1:9090/haproxy?stats;csv'"), StringComparison.Ordinal);
        // --dont-bind-http-https: Admin Router keeps :80.
        Assert.DoesNotContain("bind *:80", Sh(up, "curl -s -m 5 127.0.0.1:9090/_haproxy_getconfig"), StringComparison.Ordinal);

        // Marathon's MESOS_HTTP check on the package's first port (9090) sees it healthy.
        await UpInNetns.WaitAsync(() => Healthy(up), "the marathon-lb task to be healthy", () => Sh(up, "curl -s 127.0.0.1:8080/v2/apps/marathon-lb/tasks"), Patience);
    }

    private static bool Healthy(UpInNetns up)
    {
        try
        {
            using var doc = JsonDocument.Parse(Sh(up, "curl -s 127.0.0.1:8080/v2/apps/marathon-lb/tasks"));
            return doc.RootElement.GetProperty("tasks").EnumerateArray().Any(t =>
                t.TryGetProperty("healthCheckResults", out var h) && h.GetArrayLength() > 0 && h.EnumerateArray().All(r => r.GetProperty("alive").GetBoolean()));
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>The marathon-lb task's stderr, for a failure message.</summary>
    private static string Sandbox(UpInNetns up)
    {
        var stderr = Directory.Exists(up.StateDir)
            ? Directory.EnumerateFiles(up.StateDir, "stderr", SearchOption.AllDirectories).Where(f => f.Contains("marathon-lb", StringComparison.Ordinal)).ToList()
            : [];
        return string.Join("\n", stderr.Select(f => f + ":\n" + File.ReadAllText(f)));
    }

    private static string Sh(UpInNetns up, string command) => NetnsRunner.TrySh($"ip netns exec {up.Namespace} {command}").Output;
}
