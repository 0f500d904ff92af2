using System.Text.Json.Nodes;
using Minuet.TestSupport;

namespace Minuet.IntegrationTests.EndToEnd;

/// <summary>
/// The "done when": with <c>minuet up</c>, <c>minuet package install hello-world --yes</c> runs the local
/// Universe's Docker package, <c>package list</c> shows it and <c>package uninstall</c> removes it. Needs an agent
/// that runs Docker apps and the busybox image (<c>minuet image import-busybox</c>), from the Docker issue.
/// </summary>
[Trait("Needs", "docker-agent")]
public sealed class PackageInstallDockerTests
{
    [NetnsFact]
    public async Task PackageInstallHelloWorld_OnUp_RunsListsAndUninstalls()
    {
        using var up = UpInNetns.Start("mpkg", "--l4lb", "off");
        await up.WaitForOutputAsync("Try: ", TimeSpan.FromSeconds(180));
        var image = up.Cli("image", "import-busybox");
        Assert.True(image.Code == 0, image.Output);

        var search = up.Cli("package", "search", "hello");
        Assert.True(search.Code == 0, search.Output);
        Assert.Contains("hello-world", search.Output, StringComparison.Ordinal);

        var install = up.Cli("package", "install", "hello-world", "--yes");
        Assert.True(install.Code == 0, install.Output);
        Assert.Contains("Installed hello-world 1.0.0 as app /hello-world", install.Output, StringComparison.Ordinal);

        await UpInNetns.WaitAsync(() => up.Cli("task", "list").Output.Contains("TASK_RUNNING", StringComparison.Ordinal), "hello-world running",
            () => up.Cli("app", "list").Output, TimeSpan.FromSeconds(120));
        var list = up.Cli("package", "list", "--json");
        Assert.True(list.Code == 0, list.Output);
        var installed = JsonNode.Parse(list.Output)!["packages"]!.AsArray().Single()!;
        Assert.Equal("/hello-world", installed["appId"]!.GetValue<string>());

        var uninstall = up.Cli("package", "uninstall", "hello-world");
        Assert.True(uninstall.Code == 0, uninstall.Output);
        await UpInNetns.WaitAsync(() => !up.Cli("app", "list").Output.Contains("/hello-world", StringComparison.Ordinal), "hello-world removed",
            () => up.Cli("app", "list").Output, TimeSpan.FromSeconds(60));
        Assert.Contains("No packages installed.", up.Cli("package", "list").Output, StringComparison.Ordinal);
    }
}
