using System.Diagnostics;
using System.Text.Json.Nodes;
using Minuet.Platform.Packages.Build;
using Minuet.Platform.Packages.Model;
using Minuet.Platform.Packages.Rendering;

namespace Minuet.Packages.Tests.Build;

/// <summary>
/// The local Universe's <c>marathon-lb-autoscale</c> package: its options render into a Marathon app whose command
/// runs <c>"$MINUET_BIN" autoscale</c> with marathon-lb-autoscale's option names; the command is run by sh with
/// MINUET_BIN pointing at a script that prints its arguments, so the exact command line is what is asserted.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class MarathonLbAutoscalePackageTests
{
    private static async Task<JsonObject> RenderAsync(string options)
    {
        var errors = new List<string>();
        var index = UniverseBuilder.Build(Path.Combine(AppContext.BaseDirectory, "universe", "packages"), errors);
        Assert.Empty(errors);
        var entry = index!["packages"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "marathon-lb-autoscale")!;
        var package = PackageDefinition.TryRead(entry, out _)!;
        var outcome = await PackageRenderer.RenderAsync(package, "http://127.0.0.1:7070/repo", PackageFixtures.Options(options), null);
        Assert.True(outcome.IsSuccess, outcome.Error?.Message);
        return outcome.Value!;
    }

    /// <summary>The arguments the app's command would exec MINUET_BIN with, one per line.</summary>
    private static string[] Arguments(JsonObject app)
    {
        string dir = Directory.CreateTempSubdirectory("mlb-autoscale-pkg").FullName;
        try
        {
            string bin = Path.Combine(dir, "minuet");
            File.WriteAllText(bin, "#!/bin/sh\nfor a in \"$@\"; do printf '%s\\n' \"$a\"; done\n");
            File.SetUnixFileMode(bin, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            var start = new ProcessStartInfo("/bin/sh", ["-c", app["cmd"]!.GetValue<string>()]) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["MINUET_BIN"] = bin;
            foreach (var (key, value) in app["env"]!.AsObject())
            {
                start.Environment[key] = value!.GetValue<string>();
            }

            using var sh = Process.Start(start)!;
            string output = sh.StandardOutput.ReadToEnd();
            string error = sh.StandardError.ReadToEnd();
            sh.WaitForExit();
            Assert.True(sh.ExitCode == 0, error);
            return output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task Render_Options_CommandRunsMinuetAutoscaleWithThem()
    {
        var app = await RenderAsync("""
            {"marathon-lb-autoscale":{"apps":"nginx_10000,shop_web_10001","target-rps":250,"haproxy":"http://10.0.0.1:9090,http://10.0.0.2:9090",
             "max-instances":8,"interval":5,"samples":3}}
            """);
        Assert.Equal("marathon-lb-autoscale", app["id"]!.GetValue<string>());
        Assert.Equal(
            ["autoscale", "--marathon", "http://127.0.0.1:8080", "--haproxy", "http://10.0.0.1:9090,http://10.0.0.2:9090", "--apps", "nginx_10000,shop_web_10001",
             "--target-rps", "250", "--interval", "5", "--samples", "3", "--cooldown", "5", "--min-instances", "1", "--threshold-percent", "0.5",
             "--threshold-instances", "3", "--max-instances", "8"],
            Arguments(app));
    }

    [Fact]
    public async Task Render_MaxInstancesZero_NoLimitPassed()
    {
        var args = Arguments(await RenderAsync("""{"marathon-lb-autoscale":{"apps":"nginx_10000"}}"""));
        Assert.DoesNotContain("--max-instances", args);
        Assert.Equal("1000", args[Array.IndexOf(args, "--target-rps") + 1]);
    }

    [Theory]
    [InlineData("""{"marathon-lb-autoscale":{}}""", "apps")]
    [InlineData("""{"marathon-lb-autoscale":{"apps":"nginx"}}""", "apps")]
    [InlineData("""{"marathon-lb-autoscale":{"apps":"nginx_10000","target-rps":0}}""", "target-rps")]
    public async Task Render_BadOptions_ErrorNamesTheOption(string options, string field)
    {
        var errors = new List<string>();
        var index = UniverseBuilder.Build(Path.Combine(AppContext.BaseDirectory, "universe", "packages"), errors);
        var entry = index!["packages"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "marathon-lb-autoscale")!;
        var outcome = await PackageRenderer.RenderAsync(PackageDefinition.TryRead(entry, out _)!, "http://127.0.0.1:7070/repo", PackageFixtures.Options(options), null);
        Assert.False(outcome.IsSuccess);
        Assert.Contains(field, outcome.Error!.Message + outcome.Error.Data?.ToJsonString(), StringComparison.Ordinal);
    }
}
