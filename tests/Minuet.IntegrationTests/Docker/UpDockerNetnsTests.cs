using System.Text.Json;
using System.Text.RegularExpressions;
using Minuet.IntegrationTests.Cli;
using Minuet.IntegrationTests.EndToEnd;
using Minuet.IntegrationTests.L4lb;

namespace Minuet.IntegrationTests.Docker;

/// <summary>
/// <c>minuet up</c> with Docker, in a namespace of the test's own: it starts its own dockerd on 198.18.240.1/24, the
/// busybox example runs in BRIDGE mode on two agents, is reached on its host ports, its VIP and its DNS names, a
/// killed container is replaced, and SIGTERM stops everything including dockerd. Needs the agent's Docker
/// containerizer (<c>--docker-socket</c>), hence the trait.
/// </summary>
public sealed class UpDockerNetnsTests
{
    private const string App = "busybox-httpd";

    [DockerdFact]
    [Trait("Needs", "docker-agent")]
    public async Task Up_BusyboxBridgeExample_HostPortsVipDnsReplacementAndCleanStop()
    {
        using var up = UpInNetns.StartEntered("mupd", "--vip-range", "198.19.0.0/16", "--agents", "2");
        await up.WaitForOutputAsync("cluster running", TimeSpan.FromSeconds(120));
        Assert.Contains("dockerd started by up: bridge 198.18.240.1/24", up.Output, StringComparison.Ordinal);
        Assert.Contains("inet 198.18.240.1/24", NetnsRunner.Sh($"ip -n {up.Namespace} -4 addr show docker0"), StringComparison.Ordinal);
        string socket = Path.Combine(up.StateDir, "docker", "docker.sock");

        var imported = up.Cli("image", "import-busybox", "--docker-socket", socket);
        Assert.True(imported.Code == 0, imported.Output);
        var added = up.Cli("app", "add", Path.Combine(ExampleAppTests.RepoRoot(), "examples", App + ".json"));
        Assert.True(added.Code == 0, added.Output);

        // Two healthy containers, each answering on its agent's host port with its own task id.
        await UpInNetns.WaitAsync(() => Healthy(up).Count == 2, "2 healthy tasks", () => Marathon(up, $"/v2/apps/{App}/tasks") + up.Output, TimeSpan.FromSeconds(120));
        foreach (var (id, host, port) in Healthy(up))
        {
            Assert.Equal($"hello from {id} at {host}:{port}", Curl(up, $"http://{host}:{port}/"));
        }

        // DNS: the .slave SRV names carry the host ports; the VIP balances over both containers.
        await UpInNetns.WaitAsync(() => Regex.Count(up.Cli("dns", $"_{App}._tcp.marathon.slave.mesos").Output, "SRV") == 2, "2 SRV answers", () => up.Cli("dns", $"_{App}._tcp.marathon.slave.mesos").Output, TimeSpan.FromSeconds(30));
        var vipAnswer = up.Cli("dns", $"{App}.marathon.l4lb.thisdcos.directory", "--json").Output;
        string vip = Regex.Match(vipAnswer, "\"data\":\"(198\\.19\\.[0-9.]+)\"").Groups[1].Value;
        Assert.False(string.IsNullOrEmpty(vip), vipAnswer);
        var answered = new HashSet<string>();
        await UpInNetns.WaitAsync(
            () =>
            {
                var body = Curl(up, $"http://{vip}:80/");
                if (body.StartsWith("hello from ", StringComparison.Ordinal))
                {
                    answered.Add(body.Split(' ')[2]);
                }

                return answered.Count == 2;
            },
            "both containers answering through the VIP",
            () => string.Join(", ", answered),
            TimeSpan.FromSeconds(30));

        // Kill one container behind the agent's back: Marathon replaces the task.
        var victim = Healthy(up)[0].Id;
        var containers = NetnsRunner.Sh($"docker -H unix://{socket} ps -q --no-trunc").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        string? container = containers.FirstOrDefault(c => NetnsRunner.Sh($"docker -H unix://{socket} inspect {c}").Contains(victim, StringComparison.Ordinal));
        Assert.True(container is not null, $"no container carries the task id {victim}");
        NetnsRunner.Sh($"docker -H unix://{socket} kill {container}");
        await UpInNetns.WaitAsync(() => Healthy(up) is { Count: 2 } t && t.All(x => x.Id != victim), "the killed container replaced", () => Marathon(up, $"/v2/apps/{App}/tasks"), TimeSpan.FromSeconds(120));

        up.Signal(15);
        Assert.True(up.WaitForExit(120_000), "up stops within 120 s of SIGTERM\n" + up.Output);
        Assert.Equal(0, up.Process.ExitCode);
        Assert.Contains("dockerd    stopped", up.Output, StringComparison.Ordinal);
        Assert.Empty(NetnsRunner.TrySh($"ip netns pids {up.Namespace}").Output.Trim());
        Assert.False(File.Exists(Path.Combine(up.StateDir, "docker", "docker.pid")), "dockerd removed its pid file");
    }

    private static string Marathon(UpInNetns up, string path) => NetnsRunner.TrySh($"ip netns exec {up.Namespace} curl -s -m 3 http://127.0.0.1:8080{path}").Output;

    private static string Curl(UpInNetns up, string url) => NetnsRunner.TrySh($"ip netns exec {up.Namespace} curl -s -m 3 {url}").Output.Trim();

    private static List<(string Id, string Host, int Port)> Healthy(UpInNetns up)
    {
        try
        {
            using var doc = JsonDocument.Parse(Marathon(up, $"/v2/apps/{App}/tasks"));
            return doc.RootElement.GetProperty("tasks").EnumerateArray()
                .Where(t => t.GetProperty("state").GetString() == "TASK_RUNNING" &&
                            t.TryGetProperty("healthCheckResults", out var h) && h.GetArrayLength() > 0 && h.EnumerateArray().All(r => r.GetProperty("alive").GetBoolean()))
                .Select(t => (t.GetProperty("id").GetString()!, t.GetProperty("host").GetString()!, t.GetProperty("ports")[0].GetInt32()))
                .ToList();
        }
        catch (JsonException)
        {
            return [];
        }
    }
}
