using Minuet.Cli.Docker;
using Minuet.IntegrationTests.Cli;
using Minuet.IntegrationTests.L4lb;

namespace Minuet.IntegrationTests.Docker;

/// <summary><c>minuet image import-busybox</c> against a real dockerd of the test's own: the image exists and runs busybox httpd.</summary>
public sealed class ImportBusyboxTests
{
    [DockerdFact]
    public async Task ImportBusybox_RealDockerd_ImageServesHttpOnAMappedPort()
    {
        using var dockerd = await NetnsDockerd.StartAsync("mdk-imp", 250);
        var imported = await CliProcess.RunAsync("image", "import-busybox", "--docker-socket", dockerd.Socket, "--tag", "minuet/busybox:test");
        Assert.True(imported.ExitCode == 0, imported.StdOut + imported.StdErr);
        Assert.Contains("Imported minuet/busybox:test", imported.StdOut, StringComparison.Ordinal);

        using var engine = new DockerEngine(dockerd.Socket);
        Assert.NotNull(await engine.ImageIdAsync("minuet/busybox:test", CancellationToken.None));

        // The image alone (no base layer) runs sh and busybox httpd, published on the namespace's loopback.
        var run = dockerd.Docker("run -d --name web -p 127.0.0.1:18081:80 minuet/busybox:test /bin/sh -c 'mkdir -p /www && echo imported > /www/index.html && exec httpd -f -p 80 -h /www'");
        Assert.True(run.Code == 0, run.Output);
        string? body = null;
        for (var deadline = DateTime.UtcNow.AddSeconds(20); body != "imported" && DateTime.UtcNow < deadline; await Task.Delay(200))
        {
            body = NetnsRunner.TrySh($"ip netns exec {dockerd.Namespace} curl -s -m 2 http://127.0.0.1:18081/").Output.Trim();
        }

        Assert.Equal("imported", body);

        // Docker gave the container an address on the 198.18 bridge the daemon was started with, never 172.17.
        var ip = dockerd.Docker("inspect -f '{{.NetworkSettings.IPAddress}}' web").Output.Trim();
        Assert.StartsWith("198.18.250.", ip, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportBusybox_NoDaemon_ExitsOneNamingTheSocket()
    {
        string socket = Path.Combine(Path.GetTempPath(), "minuet-no-docker-" + Guid.NewGuid().ToString("N")[..6] + ".sock");
        var result = await CliProcess.RunAsync("image", "import-busybox", "--docker-socket", socket);
        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"no Docker daemon answers at {socket}", result.StdErr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportBusybox_BadTag_ExitsOneNamingTheFlag()
    {
        var result = await CliProcess.RunAsync("image", "import-busybox", "--tag", "Minuet/BusyBox");
        Assert.Equal(1, result.ExitCode);
        Assert.Contains("--tag: 'Minuet/BusyBox' is not a valid Docker image reference", result.StdErr, StringComparison.Ordinal);
    }
}
