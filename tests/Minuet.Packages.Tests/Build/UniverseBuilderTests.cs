using System.Text.Json.Nodes;
using Minuet.Platform.Packages.Build;

namespace Minuet.Packages.Tests.Build;

/// <summary><c>minuet package build</c>: index entries made the way gen_universe.py makes them.</summary>
public sealed class UniverseBuilderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("minuet-universe-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Theory]
    [InlineData("nginx")]
    [InlineData("marathon-lb")]
    [InlineData("chronos")]
    [InlineData("spark")]
    public void ReadPackage_ReferenceFolder_EqualsTheEntryOfTheReferenceIndex(string name)
    {
        // repo-sample-v4.json was made the way Universe's gen_universe.py does from the same folders (Fixtures/universe/README.md).
        var index = JsonNode.Parse(File.ReadAllText(Path.Combine(PackageFixtures.Root, "repo-sample-v4.json")))!["packages"]!.AsArray();
        var expected = index.Single(p => p!["name"]!.GetValue<string>() == name)!;
        var built = PackageFixtures.Load(name).Json;
        Assert.True(JsonNode.DeepEquals(expected, built), $"{name}: the built entry differs from the reference index entry");
    }

    [Fact]
    public void Build_UniverseLayout_OrdersByNameAndRelease()
    {
        Copy("nginx/1.10.3", Path.Combine("packages", "N", "nginx", "6"));
        Copy("chronos/2.5.1", Path.Combine("packages", "C", "chronos", "7"));
        Copy("chronos/2.5.1", Path.Combine("packages", "C", "chronos", "3"));
        var errors = new List<string>();
        var index = UniverseBuilder.Build(_dir, errors);
        Assert.Empty(errors);
        Assert.Equal(["chronos/3", "chronos/7", "nginx/6"], index!["packages"]!.AsArray().Select(p => $"{p!["name"]}/{p["releaseVersion"]}"));
    }

    [Fact]
    public void Build_BadFolders_ReportsEveryProblemWithItsFile()
    {
        Copy("spark/1.1.0-2.1.1", Path.Combine("spark", "26"));
        string bad = Path.Combine(_dir, "spark", "26", "package.json");
        var package = JsonNode.Parse(File.ReadAllText(bad))!.AsObject();
        package["packagingVersion"] = "4.0"; // 4.0 rejects command.json
        package.Remove("tags");
        File.WriteAllText(bad, package.ToJsonString());
        Directory.CreateDirectory(Path.Combine(_dir, "web", "latest"));
        File.WriteAllText(Path.Combine(_dir, "web", "latest", "package.json"), "{}");
        Directory.CreateDirectory(Path.Combine(_dir, "x", "1"));
        File.WriteAllText(Path.Combine(_dir, "x", "1", "package.json"), "{not json");
        var errors = new List<string>();
        Assert.Null(UniverseBuilder.Build(_dir, errors));
        Assert.Contains(errors, e => e.Contains("tags is required", StringComparison.Ordinal) && e.Contains("spark", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("command.json is not allowed", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("release number", StringComparison.Ordinal) && e.Contains("latest", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Contains("not valid JSON", StringComparison.Ordinal) && e.Contains(Path.Combine("x", "1"), StringComparison.Ordinal));
    }

    [Fact]
    public async Task LocalUniverse_HelloWorld_BuildsAndRendersTheDockerApp()
    {
        string universe = Path.Combine(AppContext.BaseDirectory, "universe", "packages");
        var errors = new List<string>();
        var index = UniverseBuilder.Build(universe, errors);
        Assert.Empty(errors);
        var entry = index!["packages"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "hello-world")!;
        var package = Minuet.Platform.Packages.Model.PackageDefinition.TryRead(entry, out _)!;
        var outcome = await Minuet.Platform.Packages.Rendering.PackageRenderer.RenderAsync(package, "http://127.0.0.1:7070/repo",
            PackageFixtures.Options("""{"service":{"name":"greeter","instances":2,"message":"say \"hi\""}}"""), null);
        var app = outcome.Value!;
        Assert.Equal("/greeter", app["id"]!.GetValue<string>());
        Assert.Equal(2, app["instances"]!.GetValue<int>());
        Assert.Equal("say \"hi\"", app["env"]!["HELLO_MESSAGE"]!.GetValue<string>());
        var docker = app["container"]!["docker"]!;
        Assert.Equal("minuet/busybox:latest", docker["image"]!.GetValue<string>());
        Assert.Equal("BRIDGE", docker["network"]!.GetValue<string>());
        var mapping = docker["portMappings"]![0]!;
        Assert.Equal(80, mapping["containerPort"]!.GetValue<int>());
        Assert.Equal(0, mapping["hostPort"]!.GetValue<int>());
        Assert.Equal("/greeter:80", mapping["labels"]!["VIP_0"]!.GetValue<string>());
        Assert.Equal("HTTP", app["healthChecks"]![0]!["protocol"]!.GetValue<string>());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task LocalUniverse_MarathonLb_RendersEdgeLbCommandWithUniverseOptionNames(bool bindHttpHttps)
    {
        string universe = Path.Combine(AppContext.BaseDirectory, "universe", "packages");
        var errors = new List<string>();
        var index = UniverseBuilder.Build(universe, errors);
        Assert.Empty(errors);
        var entry = index!["packages"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "marathon-lb")!;
        var package = Minuet.Platform.Packages.Model.PackageDefinition.TryRead(entry, out _)!;
        string options = $$$"""{"marathon-lb":{"bind-http-https":{{{(bindHttpHttps ? "true" : "false")}}},"haproxy-group":"external,internal","strict-mode":true,"name":"edge"}}""";
        var outcome = await Minuet.Platform.Packages.Rendering.PackageRenderer.RenderAsync(package, "http://127.0.0.1:7070/repo", PackageFixtures.Options(options), null);
        var app = outcome.Value!;

        Assert.Equal("edge", app["id"]!.GetValue<string>());
        string cmd = app["cmd"]!.GetValue<string>();
        Assert.Contains("\"${MINUET_BIN:?", cmd, StringComparison.Ordinal);
        Assert.Contains(" edge-lb --marathon \"$MLB_MARATHON\" --group \"$MLB_GROUP\"", cmd, StringComparison.Ordinal);
        Assert.Contains(" --strict-mode", cmd, StringComparison.Ordinal);
        Assert.Equal(!bindHttpHttps, cmd.Contains(" --dont-bind-http-https", StringComparison.Ordinal));
        Assert.Equal("external,internal", app["env"]!["MLB_GROUP"]!.GetValue<string>());
        Assert.Equal("http://127.0.0.1:8080", app["env"]!["MLB_MARATHON"]!.GetValue<string>());
        int[] ports = bindHttpHttps ? [80, 443, 9090, 9091] : [9090, 9091];
        Assert.Equal(ports, app["ports"]!.AsArray().Select(p => p!.GetValue<int>()));
        Assert.True(app["requirePorts"]!.GetValue<bool>());
        var check = app["healthChecks"]![0]!;
        Assert.Equal("/_haproxy_health_check", check["path"]!.GetValue<string>());
        Assert.Equal(ports.ToList().IndexOf(9090), check["portIndex"]!.GetValue<int>());
    }

    private void Copy(string fixture, string to)
    {
        string target = Path.Combine(_dir, to);
        Directory.CreateDirectory(target);
        foreach (var file in Directory.GetFiles(Path.Combine(PackageFixtures.Root, fixture)))
        {
            File.Copy(file, Path.Combine(target, Path.GetFileName(file)));
        }
    }
}
