using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Minuet.IntegrationTests.L4lb;
using Minuet.TestSupport;

namespace Minuet.IntegrationTests.EndToEnd;

/// <summary><c>minuet up</c> as root inside a loopback-only namespace this test creates: the CLI verbs drive it, its VIP serves, SIGTERM leaves nothing behind.</summary>
public sealed class UpNetnsTests
{
    [NetnsFact]
    public async Task Up_AsRoot_AppDeployedFoundByNameAndSigtermRemovesEverything()
    {
        string id = Guid.NewGuid().ToString("N")[..6];
        string ns = "mup-" + id;
        string dir = Path.Combine(Path.GetTempPath(), "minuet-up-" + id);
        Directory.CreateDirectory(dir);
        NetnsRunner.Sh($"ip netns add {ns} && ip -n {ns} link set lo up");
        Process? up = null;
        var output = new StringBuilder();
        try
        {
            var start = new ProcessStartInfo("ip") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true, UseShellExecute = false };
            foreach (var arg in new[] { "netns", "exec", ns, "dotnet", NetnsProcess.MinuetDll, "up", "--state-dir", Path.Combine(dir, "state"), "--vip-range", "198.19.0.0/16", "--agents", "2", "--auth", "off", "--no-docker" })
            {
                start.ArgumentList.Add(arg);
            }

            up = Process.Start(start)!;
            up.OutputDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            up.ErrorDataReceived += (_, e) => { lock (output) { output.AppendLine(e.Data); } };
            up.BeginOutputReadLine();
            up.BeginErrorReadLine();
            await WaitAsync(() => Text(output).Contains("cluster running", StringComparison.Ordinal), "cluster running", () => Text(output), TimeSpan.FromSeconds(90));
            Assert.Contains("198.19.0.0/16", Text(output), StringComparison.Ordinal);

            string app = Path.Combine(dir, "web.json");
            await File.WriteAllTextAsync(app, $$$"""
                {"id":"/web","cmd":"exec dotnet {{{NetnsProcess.MinuetDll}}} test-server","instances":2,"cpus":0.1,"mem":64,
                 "portDefinitions":[{"port":0,"labels":{"VIP_0":"/web:80"}}]}
                """);
            var added = Cli(ns, "app", "add", app);
            Assert.True(added.Code == 0, added.Output);
            Assert.Contains("Created /web", added.Output, StringComparison.Ordinal);
            await WaitAsync(() => Cli(ns, "task", "list").Output.Split('\n').Count(l => l.Contains("TASK_RUNNING", StringComparison.Ordinal)) == 2, "2 running tasks", () => Cli(ns, "task", "list").Output + Text(output), TimeSpan.FromSeconds(60));
            await WaitAsync(() => Cli(ns, "dns", "_web._tcp.marathon.mesos").Output.Split('\n').Count(l => l.Contains("SRV", StringComparison.Ordinal)) == 2, "2 SRV answers", () => Cli(ns, "dns", "_web._tcp.marathon.mesos").Output, TimeSpan.FromSeconds(20));
            var vip = Cli(ns, "dns", "web.marathon.l4lb.thisdcos.directory", "--json");
            Assert.Contains("\"data\":\"198.19.", vip.Output, StringComparison.Ordinal);

            // The namespace has only lo, so nothing routes the VIP range but the data plane's own route: without
            // it connect() fails with ENETUNREACH before any SYN is queued. Both tasks answer through the VIP.
            string address = Regex.Match(vip.Output, "\"data\":\"(198\\.19\\.[0-9.]+)\"").Groups[1].Value;
            Assert.Contains("198.19.0.0/16 dev lo", NetnsRunner.TrySh($"ip -n {ns} route show").Output, StringComparison.Ordinal);
            var answeredBy = new HashSet<string>();
            await WaitAsync(
                () =>
                {
                    var reply = NetnsRunner.TrySh($"ip netns exec {ns} curl -s -m 2 http://{address}:80/");
                    if (reply.Code == 0 && reply.Output.StartsWith("web.", StringComparison.Ordinal))
                    {
                        answeredBy.Add(reply.Output.Split(' ')[0]);
                    }

                    return answeredBy.Count == 2;
                },
                "both tasks answering through the VIP",
                () => string.Join(", ", answeredBy) + "\n" + NetnsRunner.TrySh($"ip netns exec {ns} curl -sv -m 2 http://{address}:80/").Output,
                TimeSpan.FromSeconds(30));
            Assert.Contains("NFQUEUE", NetnsRunner.TrySh($"ip netns exec {ns} iptables-save").Output, StringComparison.Ordinal);

            _ = Minuet.ControlPlane.Agent.Processes.AgentInterop.Kill(up.Id, 15);
            Assert.True(up.WaitForExit(60_000), "minuet up stops within 60 s of SIGTERM\n" + Text(output));
            Assert.Equal(0, up.ExitCode);
            Assert.Empty(NetnsRunner.TrySh($"ip netns pids {ns}").Output.Trim());
            Assert.DoesNotContain("NFQUEUE", NetnsRunner.TrySh($"ip netns exec {ns} iptables-save").Output, StringComparison.Ordinal);
            Assert.Contains("stopping", Text(output), StringComparison.Ordinal);
        }
        finally
        {
            if (up is { HasExited: false })
            {
                up.Kill(entireProcessTree: true);
            }

            up?.Dispose();
            NetnsRunner.TrySh($"for p in $(ip netns pids {ns}); do kill -9 $p; done; ip netns del {ns}");
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static (int Code, string Output) Cli(string ns, params string[] args) =>
        NetnsRunner.TrySh($"ip netns exec {ns} dotnet {NetnsProcess.MinuetDll} {string.Join(' ', args.Select(a => "'" + a + "'"))}");

    private static async Task WaitAsync(Func<bool> condition, string what, Func<string> context, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"timed out waiting for {what}\n{context()}");
            }

            await Task.Delay(250);
        }
    }
}
