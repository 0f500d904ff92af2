using System.Text.Json;
using Minuet.IntegrationTests.EndToEnd;
using Minuet.IntegrationTests.L4lb;
using Minuet.TestSupport;

namespace Minuet.IntegrationTests.EdgeLb;

/// <summary>
/// Scale-down under load loses no request: tasks that drain (<c>MINUET_DRAIN_SECONDS</c>) are reported TASK_KILLING while
/// they still serve, the edge balancer takes their servers out through the runtime API, and only then do they get
/// SIGTERM; HAProxy retries anything a dying server refused. busybox httpd is the hard case: it exits at once on SIGTERM.
/// </summary>
/// <remarks>
/// This proves the whole chain. The retries alone also got this test to zero failures when the drain was set to 0
/// (tried twice), so the drain's own ordering (TASK_KILLING, then SIGTERM only after the drain) is proven by
/// <c>AgentRuntimeDrainTests</c>.
/// </remarks>
public sealed class EdgeLbDrainNetnsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);

    [NetnsFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task EdgeLb_ScaleDownUnderLoad_NoRequestFails()
    {
        foreach (string tool in new[] { "/usr/sbin/haproxy", "/bin/busybox" })
        {
            if (!File.Exists(tool))
            {
                Assert.Fail($"{tool} is not installed (test.sh installs haproxy and busybox-static)");
            }
        }

        using var up = UpInNetns.Start("mdrain", "--admin-router-listen", "127.0.0.1:8800", "--l4lb", "off");
        await up.WaitForOutputAsync("cluster running", TimeSpan.FromSeconds(150));
        using var lb = NetnsProcess.Start("edge-lb", up.Namespace, "edge-lb", "--marathon", "http://127.0.0.1:8080", "--group", "external",
            "--haproxy-dir", Path.Combine(up.Dir, "haproxy"), "--dont-bind-http-https");
        await UpInNetns.WaitAsync(() => lb.Output.Contains("HAProxy serving", StringComparison.Ordinal) || lb.HasExited, "edge-lb to start", () => lb.Output, Patience);
        Assert.False(lb.HasExited, lb.Output);

        string www = Path.Combine(up.Dir, "www");
        Directory.CreateDirectory(www);
        await File.WriteAllTextAsync(Path.Combine(www, "index.html"), "ok\n");
        string app = Path.Combine(up.Dir, "web.json");
        await File.WriteAllTextAsync(app, $$$"""
            {"id":"/web","cmd":"exec busybox httpd -f -p $PORT0 -h {{{www}}}","instances":4,"cpus":0.05,"mem":16,
             "portDefinitions":[{"port":10000}],
             "healthChecks":[{"protocol":"HTTP","path":"/","portIndex":0,"gracePeriodSeconds":60,"intervalSeconds":1,"timeoutSeconds":5,"maxConsecutiveFailures":3}],
             "labels":{"HAPROXY_GROUP":"external","MINUET_DRAIN_SECONDS":"3"}}
            """);
        Assert.Contains("\"id\"", Sh(up, $"curl -s -X POST -H 'Content-Type: application/json' --data @{app} 127.0.0.1:8080/v2/apps"), StringComparison.Ordinal);
        await UpInNetns.WaitAsync(() => ServerCount(up) == 4 && Sh(up, "curl -s -o /dev/null -w '%{http_code}' -m 5 127.0.0.1:10000/") == "200",
            "4 servers behind 127.0.0.1:10000", () => Sh(up, "curl -s 127.0.0.1:9090/_haproxy_getconfig") + Sh(up, "curl -s 127.0.0.1:8080/v2/apps/web/tasks"), Patience);

        // Load: back-to-back requests (curl's URL ranges, one connection each batch) until the stop file appears; every
        // response code on its own line, 000 for a transport failure.
        string codes = Path.Combine(up.Dir, "codes.txt");
        string stop = Path.Combine(up.Dir, "stop");
        var start = new System.Diagnostics.ProcessStartInfo("ip") { UseShellExecute = false };
        foreach (string arg in new[] { "netns", "exec", up.Namespace, "sh", "-c",
            $"while [ ! -e {stop} ]; do curl -s -o /dev/null -m 10 -w '%{{http_code}}\\n' 'http://127.0.0.1:10000/?[1-50]' >>{codes}; done" })
        {
            start.ArgumentList.Add(arg);
        }

        using var load = System.Diagnostics.Process.Start(start)!;
        try
        {
            await UpInNetns.WaitAsync(() => Lines(codes).Length >= 100, "the load to start", () => string.Join(",", Lines(codes).Take(20)), Patience);

            Sh(up, "curl -s -X PUT -H 'Content-Type: application/json' -d '{\"instances\":1}' '127.0.0.1:8080/v2/apps/web?force=true'");
            // Done when the three killed tasks are gone from Marathon (TASK_KILLED: their SIGTERM came and they exited) and
            // the backend has one server; then a little more load on the survivor.
            await UpInNetns.WaitAsync(() => ServerCount(up) == 1 && TaskCount(up) == 1, "the scale-down to 1 to finish",
                () => Sh(up, "curl -s 127.0.0.1:9090/_haproxy_getconfig") + Sh(up, "curl -s 127.0.0.1:8080/v2/apps/web/tasks"), Patience);
            int atEnd = Lines(codes).Length;
            await UpInNetns.WaitAsync(() => Lines(codes).Length >= atEnd + 100, "more load after the scale-down", () => Lines(codes).Length.ToString(System.Globalization.CultureInfo.InvariantCulture), Patience);
            await File.WriteAllTextAsync(stop, "");
            using (var done = new CancellationTokenSource(Patience))
            {
                await load.WaitForExitAsync(done.Token);
            }
        }
        finally
        {
            // A failed wait must not leave the load running in the namespace.
            await File.WriteAllTextAsync(stop, "");
            if (!load.HasExited)
            {
                load.Kill(entireProcessTree: true);
            }
        }

        string[] all = Lines(codes);
        var failed = all.Where(c => c != "200").GroupBy(c => c).Select(g => $"{g.Key} x{g.Count()}").ToList();
        Assert.True(failed.Count == 0, $"{all.Length} requests, failed: {string.Join(", ", failed)}\n{lb.Output}");
    }

    private static string[] Lines(string path)
    {
        try
        {
            // The last line may be half written while the load runs.
            return [.. File.ReadAllLines(path).Where(l => l.Length == 3)];
        }
        catch (FileNotFoundException)
        {
            return [];
        }
    }

    private static int ServerCount(UpInNetns up) =>
        Sh(up, "curl -s 127.0.0.1:9090/_haproxy_getconfig").Split('\n').Count(l => l.StartsWith("  server 127_0_0_1_", StringComparison.Ordinal));

    private static int TaskCount(UpInNetns up)
    {
        try
        {
            using var doc = JsonDocument.Parse(Sh(up, "curl -s 127.0.0.1:8080/v2/apps/web/tasks"));
            return doc.RootElement.GetProperty("tasks").GetArrayLength();
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return -1;
        }
    }

    private static string Sh(UpInNetns up, string command) => NetnsRunner.TrySh($"ip netns exec {up.Namespace} {command}").Output;
}
