using Minuet.IntegrationTests.EndToEnd;
using Minuet.IntegrationTests.L4lb;
using Minuet.TestSupport;

namespace Minuet.IntegrationTests.EdgeLb;

/// <summary>
/// marathon-lb's auth and template labels through a real <c>minuet up</c>, <c>minuet edge-lb</c> and HAProxy in a
/// namespace (Admin Router moved off :80): <c>HAPROXY_0_AUTH</c> makes the vhost route on :80 answer 401 with the realm
/// until the right user and password come; a <c>HAPROXY_0_BACKEND_HEAD</c> override's extra line takes effect; an app
/// with a malformed AUTH value is left out and counted in /metrics with the label.
/// </summary>
public sealed class EdgeLbLabelsUpNetnsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary><c>openssl passwd -6 -salt minuet secret</c>.</summary>
    private const string Hash = "$6$minuet$fIGXN5sMQfxgon3jyYt9.FaKVgZMPr/0F2ZyuOkbcFzA91EZaIG1.O7wla5lQDmJTVT/myFE2lpmzdC24EvL6.";

    [NetnsFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task EdgeLb_AuthAndBackendHeadLabels_ChallengeOnVhostAndOverrideApplied()
    {
        if (!File.Exists("/usr/sbin/haproxy"))
        {
            Assert.Fail("haproxy is not installed (test.sh installs it: apt-get install haproxy)");
        }

        using var up = UpInNetns.Start("mlbl", "--admin-router-listen", "127.0.0.1:8800", "--l4lb", "off");
        await up.WaitForOutputAsync("cluster running", TimeSpan.FromSeconds(150));
        using var lb = NetnsProcess.Start("edge-lb", up.Namespace, "edge-lb", "--marathon", "http://127.0.0.1:8080", "--group", "external",
            "--haproxy-dir", Path.Combine(up.Dir, "haproxy"));
        await UpInNetns.WaitAsync(() => lb.Output.Contains("HAProxy serving", StringComparison.Ordinal) || lb.HasExited, "edge-lb to start", () => lb.Output, Patience);
        Assert.False(lb.HasExited, lb.Output);

        string app = Path.Combine(up.Dir, "web.json");
        await File.WriteAllTextAsync(app, $$$"""
            {"id":"/web","cmd":"exec dotnet {{{NetnsProcess.MinuetDll}}} test-server","instances":1,"cpus":0.1,"mem":64,
             "portDefinitions":[{"port":10000}],
             "healthChecks":[{"protocol":"HTTP","path":"/health","portIndex":0,"gracePeriodSeconds":60,"intervalSeconds":1,"timeoutSeconds":5,"maxConsecutiveFailures":3}],
             "labels":{"HAPROXY_GROUP":"external","HAPROXY_0_VHOST":"web.example.com","HAPROXY_0_AUTH":"Staff only:alice:{{{Hash}}}",
               "HAPROXY_0_BACKEND_HEAD":"\nbackend {backend}\n  balance {balance}\n  mode {mode}\n  http-response set-header X-Template {backend}\n"}}
            """);
        Assert.Contains("\"id\"", Sh(up, $"curl -s -X POST -H 'Content-Type: application/json' --data @{app} 127.0.0.1:8080/v2/apps"), StringComparison.Ordinal);
        string bad = """{"id":"/badauth","cmd":"sleep 1000","instances":0,"portDefinitions":[{"port":10010}],"labels":{"HAPROXY_GROUP":"external","HAPROXY_0_AUTH":"realm-without-user"}}""";
        await File.WriteAllTextAsync(Path.Combine(up.Dir, "bad.json"), bad);
        Sh(up, $"curl -s -X POST -H 'Content-Type: application/json' --data @{Path.Combine(up.Dir, "bad.json")} 127.0.0.1:8080/v2/apps");

        await UpInNetns.WaitAsync(() => Sh(up, "curl -s -m 5 -u alice:secret -H 'Host: web.example.com' 127.0.0.1:80/").StartsWith("web.", StringComparison.Ordinal),
            "/web to answer on :80 with alice's password", () => Sh(up, "curl -s 127.0.0.1:9090/_haproxy_getconfig") + "\n" + lb.Output, Patience);

        string anonymous = Sh(up, "curl -s -i -m 5 -H 'Host: web.example.com' 127.0.0.1:80/");
        Assert.StartsWith("HTTP/1.1 401", anonymous, StringComparison.Ordinal);
        Assert.Contains("WWW-Authenticate: Basic realm=\"Staff only\"", anonymous, StringComparison.OrdinalIgnoreCase);
        Assert.StartsWith("HTTP/1.1 401", Sh(up, "curl -s -i -m 5 -u alice:wrong -H 'Host: web.example.com' 127.0.0.1:80/"), StringComparison.Ordinal);
        string allowed = Sh(up, "curl -s -i -m 5 -u alice:secret -H 'Host: web.example.com' 127.0.0.1:80/");
        Assert.StartsWith("HTTP/1.1 200", allowed, StringComparison.Ordinal);
        Assert.Contains("x-template: web_10000", allowed, StringComparison.OrdinalIgnoreCase);

        // As in marathon-lb, the challenge guards the vhost routes only; the service port stays open.
        Assert.StartsWith("HTTP/1.1 200", Sh(up, "curl -s -i -m 5 127.0.0.1:10000/"), StringComparison.Ordinal);

        string metrics = Sh(up, "curl -s 127.0.0.1:9090/metrics");
        Assert.Contains("minuet_edgelb_app_rejected{app=\"/badauth\",field=\"HAPROXY_0_AUTH\"", metrics, StringComparison.Ordinal);
        Assert.DoesNotContain("badauth_", Sh(up, "curl -s 127.0.0.1:9090/_haproxy_getconfig"), StringComparison.Ordinal);
    }

    private static string Sh(UpInNetns up, string command) => NetnsRunner.TrySh($"ip netns exec {up.Namespace} {command}").Output;
}
