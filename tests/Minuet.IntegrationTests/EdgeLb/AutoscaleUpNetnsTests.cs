using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Minuet.IntegrationTests.EndToEnd;
using Minuet.IntegrationTests.L4lb;
using Minuet.TestSupport;

namespace Minuet.IntegrationTests.EdgeLb;

/// <summary>
/// <c>minuet autoscale</c> against a real <c>minuet up</c>, <c>minuet edge-lb</c> and Debian's HAProxy in a namespace:
/// one keep-alive client (<c>ab -k -c 1</c>, bounded by <c>-t</c>) on 127.0.0.1:10000 pushes the <c>web_10000</c>
/// frontend's <c>req_rate</c> past <c>--target-rps</c>, so <c>/web</c> grows from 1 instance (to at most
/// <c>--max-instances</c>, and HAProxy gets the new servers); when the client stops it shrinks back to
/// <c>--min-instances</c>. One client on one connection makes many requests but few sessions, so scaling up at all
/// shows the request rate, not marathon-lb-autoscale's session rate, is what is read.
/// </summary>
public sealed partial class AutoscaleUpNetnsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(180);

    [NetnsFact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Autoscale_LoadOnServicePortThenIdle_ScalesUpWithinMaxThenBackToMin()
    {
        if (!File.Exists("/usr/sbin/haproxy") || !File.Exists("/usr/bin/ab"))
        {
            Assert.Fail("haproxy and ab are not installed (test.sh installs them: apt-get install haproxy apache2-utils)");
        }

        using var up = UpInNetns.Start("mauto", "--admin-router-listen", "127.0.0.1:8800", "--l4lb", "off");
        await up.WaitForOutputAsync("cluster running", TimeSpan.FromSeconds(150));
        using var lb = NetnsProcess.Start("edge-lb", up.Namespace, "edge-lb", "--marathon", "http://127.0.0.1:8080", "--group", "external",
            "--haproxy-dir", Path.Combine(up.Dir, "haproxy"), "--dont-bind-http-https");
        await UpInNetns.WaitAsync(() => lb.Output.Contains("HAProxy serving", StringComparison.Ordinal) || lb.HasExited, "edge-lb to start", () => lb.Output, Patience);
        Assert.False(lb.HasExited, lb.Output);

        string app = Path.Combine(up.Dir, "web.json");
        await File.WriteAllTextAsync(app, $$$"""
            {"id":"/web","cmd":"exec dotnet {{{NetnsProcess.MinuetDll}}} test-server","instances":1,"cpus":0.1,"mem":64,
             "portDefinitions":[{"port":10000}],
             "healthChecks":[{"protocol":"HTTP","path":"/health","portIndex":0,"gracePeriodSeconds":60,"intervalSeconds":1,"timeoutSeconds":5,"maxConsecutiveFailures":3}],
             "labels":{"HAPROXY_GROUP":"external"}}
            """);
        Assert.Contains("\"id\"", Sh(up, $"curl -s -X POST -H 'Content-Type: application/json' --data @{app} 127.0.0.1:8080/v2/apps"), StringComparison.Ordinal);
        await UpInNetns.WaitAsync(() => ServerCount(up) == 1 && Sh(up, "curl -s -m 5 127.0.0.1:10000/").StartsWith("web.", StringComparison.Ordinal),
            "/web's one task to answer on 127.0.0.1:10000", () => Sh(up, "curl -s 127.0.0.1:9090/_haproxy_getconfig"), Patience);

        const int MaxInstances = 3;
        using var scaler = NetnsProcess.Start("autoscale", up.Namespace, "autoscale", "--marathon", "http://127.0.0.1:8080", "--haproxy", "http://127.0.0.1:9090",
            "--target-rps", "5", "--apps", "web_10000", "--min-instances", "1", "--max-instances", MaxInstances.ToString(CultureInfo.InvariantCulture),
            "--interval", "1", "--samples", "3", "--cooldown", "2");

        string stats;
        int up1;
        using (var load = StartLoad(up))
        {
            await UpInNetns.WaitAsync(() => Scales(scaler).Count > 0 || scaler.HasExited, "the autoscaler to scale /web up under load",
                () => scaler.Output + "\n" + Sh(up, "curl -s '127.0.0.1:9090/haproxy?stats;csv'"), Patience);
            Assert.False(scaler.HasExited, scaler.Output);
            stats = Sh(up, "curl -s '127.0.0.1:9090/haproxy?stats;csv'");
            var first = Scales(scaler)[0];
            Assert.Equal(1, first.From);
            up1 = first.To;
            Assert.InRange(up1, 2, MaxInstances);
            Assert.True(first.Average > 5, scaler.Output);

            // One connection carrying many requests: HAProxy's request rate is far above its session rate, and the
            // request rate is what crossed --target-rps.
            var row = FrontendRow(stats);
            Assert.True(row.ReqRate > row.Rate, $"req_rate {row.ReqRate} vs session rate {row.Rate}\n{stats}");
            await UpInNetns.WaitAsync(() => ServerCount(up) == up1, $"HAProxy's web_10000 backend to have {up1} servers",
                () => Sh(up, "curl -s 127.0.0.1:9090/_haproxy_getconfig"), Patience);
            StopLoad(load);
        }

        await UpInNetns.WaitAsync(() => Scales(scaler).Any(s => s.To == 1) || scaler.HasExited, "the autoscaler to scale /web back down to 1 once idle",
            () => scaler.Output, Patience);
        Assert.False(scaler.HasExited, scaler.Output);
        var down = Scales(scaler).First(s => s.To == 1);
        Assert.True(down.From > 1, scaler.Output);
        Assert.All(Scales(scaler), s => Assert.InRange(s.To, 1, MaxInstances));
        Assert.Contains("\"instances\":1", Sh(up, "curl -s 127.0.0.1:8080/v2/apps/web"), StringComparison.Ordinal);
        await UpInNetns.WaitAsync(() => ServerCount(up) == 1, "HAProxy's web_10000 backend to be back to 1 server",
            () => Sh(up, "curl -s 127.0.0.1:9090/_haproxy_getconfig"), Patience);

        // Figures for the report, on the test's output (xunit shows them with --logger "console;verbosity=detailed").
        var figures = FrontendRow(stats);
        Console.WriteLine($"autoscale: {string.Join("; ", Scales(scaler).Select(s => $"{s.From} -> {s.To} at avg {s.Average:F1} req/s"))}; "
            + $"web_10000 frontend at scale-up: req_rate {figures.ReqRate}, session rate {figures.Rate}");
    }

    /// <summary>One keep-alive client on the service port; <c>-t</c> bounds it even if the test dies before stopping it.</summary>
    private static Process StartLoad(UpInNetns up)
    {
        var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[] { "netns", "exec", up.Namespace, "ab", "-k", "-r", "-q", "-c", "1", "-t", "170", "-n", "100000000", "http://127.0.0.1:10000/" })
        {
            start.ArgumentList.Add(arg);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    private static void StopLoad(Process load)
    {
        if (!load.HasExited)
        {
            load.Kill();
            load.WaitForExit(10_000);
        }
    }

    private static List<(int From, int To, double Average)> Scales(NetnsProcess scaler) =>
        [.. ScaleLine().Matches(scaler.Output).Select(m => (
            int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture),
            int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture),
            double.Parse(m.Groups[3].Value, CultureInfo.InvariantCulture)))];

    /// <summary>The web_10000 FRONTEND row's request and session rates (-1 when absent).</summary>
    private static (int ReqRate, int Rate) FrontendRow(string csv)
    {
        var lines = csv.Split('\n');
        var header = lines[0].TrimStart('#', ' ').Split(',');
        var row = lines.FirstOrDefault(l => l.StartsWith("web_10000,FRONTEND,", StringComparison.Ordinal))?.Split(',');
        int Cell(string name) => row is not null && int.TryParse(row[Array.IndexOf(header, name)], CultureInfo.InvariantCulture, out int v) ? v : -1;
        return (Cell("req_rate"), Cell("rate"));
    }

    private static int ServerCount(UpInNetns up) =>
        Sh(up, "curl -s 127.0.0.1:9090/_haproxy_getconfig").Split('\n').Count(l => l.StartsWith("  server 127_0_0_1_", StringComparison.Ordinal));

    private static string Sh(UpInNetns up, string command) => NetnsRunner.TrySh($"ip netns exec {up.Namespace} {command}").Output;

    [GeneratedRegex(@"autoscale /web: (\d+) -> (\d+) instances \(average ([\d.]+) req/s")]
    private static partial Regex ScaleLine();
}
