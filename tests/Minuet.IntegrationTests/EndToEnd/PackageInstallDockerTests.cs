using System.Text.Json;
using System.Text.Json.Nodes;
using Minuet.IntegrationTests.Docker;
using Minuet.IntegrationTests.L4lb;

namespace Minuet.IntegrationTests.EndToEnd;

/// <summary>
/// The "done when": with <c>minuet up</c>, <c>minuet package install hello-world --yes</c> runs the local
/// Universe's Docker package, <c>package list</c> shows it and <c>package uninstall</c> removes it. Needs an agent
/// that runs Docker apps: up starts its own dockerd (entered with nsenter, see <see cref="UpInNetns.StartEntered"/>)
/// and the busybox image is imported into that daemon once up runs.
/// </summary>
[Trait("Needs", "docker-agent")]
public sealed class PackageInstallDockerTests
{
    private const string App = "hello-world";

    [DockerdFact]
    public async Task PackageInstallHelloWorld_OnUp_RunsListsAndUninstalls()
    {
        using var up = UpInNetns.StartEntered("mpkg", "--l4lb", "off");
        await up.WaitForOutputAsync("Try: ", TimeSpan.FromSeconds(180));
        Assert.Contains("dockerd started by up", up.Output, StringComparison.Ordinal);
        var image = up.Cli("image", "import-busybox", "--docker-socket", Path.Combine(up.StateDir, "docker", "docker.sock"));
        Assert.True(image.Code == 0, image.Output);

        var search = up.Cli("package", "search", "hello");
        Assert.True(search.Code == 0, search.Output);
        Assert.Contains(App, search.Output, StringComparison.Ordinal);

        string options = Path.Combine(up.Dir, "hello-options.json");
        await File.WriteAllTextAsync(options, """{ "service": { "instances": 2 } }""");
        var install = up.Cli("package", "install", App, "--yes", "--options", options);
        Assert.True(install.Code == 0, install.Output);
        Assert.Contains("Installed hello-world 1.0.0 as app /hello-world", install.Output, StringComparison.Ordinal);

        // Both containers running, healthy, and serving the package's page on their host ports.
        await UpInNetns.WaitAsync(() => Healthy(up).Count == 2, "2 healthy hello-world tasks",
            () => Marathon(up, $"/v2/apps/{App}/tasks") + up.Cli("app", "list").Output + up.Output, TimeSpan.FromSeconds(120));
        foreach (var (host, port) in Healthy(up))
        {
            Assert.Equal("Hello from Minuet!", NetnsRunner.TrySh($"ip netns exec {up.Namespace} curl -s -m 3 http://{host}:{port}/").Output.Trim());
        }

        var list = up.Cli("package", "list", "--json");
        Assert.True(list.Code == 0, list.Output);
        var installed = JsonNode.Parse(list.Output)!["packages"]!.AsArray().Single()!;
        Assert.Equal("/hello-world", installed["appId"]!.GetValue<string>());

        var uninstall = up.Cli("package", "uninstall", App);
        Assert.True(uninstall.Code == 0, uninstall.Output);
        await UpInNetns.WaitAsync(() => !up.Cli("app", "list").Output.Contains("/hello-world", StringComparison.Ordinal), "hello-world removed",
            () => up.Cli("app", "list").Output, TimeSpan.FromSeconds(60));
        Assert.Contains("No packages installed.", up.Cli("package", "list").Output, StringComparison.Ordinal);

        // Stopped, not killed: dockerd stops its containers and unmounts its data root.
        up.Signal(15);
        Assert.True(up.WaitForExit(120_000), "up stops within 120 s of SIGTERM\n" + up.Output);
        Assert.Equal(0, up.Process.ExitCode);
        Assert.Contains("dockerd    stopped", up.Output, StringComparison.Ordinal);
    }

    private static string Marathon(UpInNetns up, string path) => NetnsRunner.TrySh($"ip netns exec {up.Namespace} curl -s -m 3 http://127.0.0.1:8080{path}").Output;

    private static List<(string Host, int Port)> Healthy(UpInNetns up)
    {
        try
        {
            using var doc = JsonDocument.Parse(Marathon(up, $"/v2/apps/{App}/tasks"));
            return doc.RootElement.GetProperty("tasks").EnumerateArray()
                .Where(t => t.GetProperty("state").GetString() == "TASK_RUNNING" &&
                            t.TryGetProperty("healthCheckResults", out var h) && h.GetArrayLength() > 0 && h.EnumerateArray().All(r => r.GetProperty("alive").GetBoolean()))
                .Select(t => (t.GetProperty("host").GetString()!, t.GetProperty("ports")[0].GetInt32()))
                .ToList();
        }
        catch (JsonException)
        {
            return [];
        }
        catch (KeyNotFoundException)
        {
            return [];
        }
    }
}
