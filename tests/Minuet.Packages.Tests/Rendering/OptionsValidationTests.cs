using System.Text.Json.Nodes;
using Minuet.Platform.Packages.Rendering;

namespace Minuet.Packages.Tests.Rendering;

public sealed class OptionsValidationTests
{
    [Fact]
    public async Task Render_SeveralBadOptions_ReportsEveryErrorWithItsPointer()
    {
        var outcome = await PackageRenderer.RenderAsync(PackageFixtures.Load("nginx"), "http://x/repo",
            PackageFixtures.Options("""{"nginx":{"instances":"two","cpus":0,"bridge":"yes","mem":"lots"}}"""), null);
        Assert.Equal("JsonSchemaMismatch", outcome.Error!.Type);
        Assert.Equal("Options JSON failed validation", outcome.Error.Message);
        var errors = outcome.Error.Data!["errors"]!.AsArray();
        var pointers = errors.Select(e => e!["instance"]!["pointer"]!.GetValue<string>()).Order().ToArray();
        Assert.Equal(["/nginx/bridge", "/nginx/cpus", "/nginx/instances", "/nginx/mem"], pointers);
        var instances = errors.Single(e => e!["instance"]!["pointer"]!.GetValue<string>() == "/nginx/instances")!;
        Assert.Equal("type", instances["keyword"]!.GetValue<string>());
        Assert.Equal("string", instances["found"]!.GetValue<string>());
        Assert.Equal("minimum", errors.Single(e => e!["instance"]!["pointer"]!.GetValue<string>() == "/nginx/cpus")!["keyword"]!.GetValue<string>());
    }

    [Fact]
    public async Task Render_RequiredMemberRemovedAndExtraMember_ReportsMissingAndType()
    {
        var package = PackageFixtures.Load("nginx");
        var config = (JsonObject)package.Config!.DeepClone();
        config["properties"]!["nginx"]!["properties"]!["name"]!.AsObject().Remove("default");
        var entry = (JsonObject)package.Json.DeepClone();
        entry["config"] = config;
        var changed = Minuet.Platform.Packages.Model.PackageDefinition.TryRead(entry, out _)!;
        var outcome = await PackageRenderer.RenderAsync(changed, "http://x/repo", PackageFixtures.Options("""{"nginx":{"mem":"x"}}"""), null);
        var errors = outcome.Error!.Data!["errors"]!.AsArray();
        var missing = errors.Single(e => e!["keyword"]!.GetValue<string>() == "required")!;
        Assert.Equal("/nginx", missing["instance"]!["pointer"]!.GetValue<string>());
        Assert.Equal("name", missing["missing"]![0]!.GetValue<string>());
        Assert.Contains(errors, e => e!["instance"]!["pointer"]!.GetValue<string>() == "/nginx/mem");
    }

    [Fact]
    public async Task Render_OptionsForPackageWithoutConfig_IsOptionsNotAllowed()
    {
        var entry = (JsonObject)PackageFixtures.Load("nginx").Json.DeepClone();
        entry.Remove("config");
        var outcome = await PackageRenderer.RenderAsync(Minuet.Platform.Packages.Model.PackageDefinition.TryRead(entry, out _)!, "http://x/repo", PackageFixtures.Options("""{"a":1}"""), null);
        Assert.Equal("OptionsNotAllowed", outcome.Error!.Type);
    }

    [Fact]
    public async Task EveryReferencePackage_EmptyOptions_AreValid()
    {
        foreach (var (name, _, _) in PackageFixtures.All)
        {
            var merged = await PackageRenderer.MergedOptionsAsync(PackageFixtures.Load(name), new JsonObject());
            Assert.True(merged.IsSuccess, name + ": " + merged.Error?.Data?.ToJsonString());
        }
    }

    [Fact]
    public void Defaults_NestedObjectsWithoutDefaults_AreDropped()
    {
        var defaults = ConfigDefaults.Extract(PackageFixtures.Load("spark").Config);
        Assert.Equal("spark", defaults["service"]!["name"]!.GetValue<string>());
        Assert.Null(defaults["security"]!["mesos"]); // only secret_name, no default: the empty objects are dropped
        Assert.Equal(string.Empty, defaults["security"]!["kerberos"]!["krb5conf"]!.GetValue<string>());
        Assert.False(defaults["hdfs"] is JsonObject h && h.ContainsKey("config-url"));
    }
}
