using System.Net;
using System.Text.Json;
using Minuet.Cli.Cluster;
using Minuet.Cli.Verbs;

namespace Minuet.IntegrationTests.Cli;

/// <summary>What a newcomer is told: the "Try:" line after <c>minuet up</c>, and how <c>app add</c> tells a group from an app.</summary>
public sealed class NewcomerHintsTests
{
    [Fact]
    public void TryLine_DefaultAddresses_NeedNoFlags()
    {
        string line = ClusterPlan.TryLine(new UpOptions { StateDir = "/s" });

        Assert.Equal(
            "Web UI: http://127.0.0.1:80/ (log in there with the same user and password)\n" +
            "Log in first (Admin Router checks a token; the first login creates the first user): ./minuet auth login --username NAME\n" +
            "Try: ./minuet app add examples/hello.json; ./minuet app list; ./minuet task list; ./minuet dns hello.marathon.mesos; ./minuet vips.\n" +
            "Apps persist across `up` runs (in /s): the next `up` starts them again; `up --clean` starts with none. Ctrl-C stops everything.",
            line);
        Assert.True(File.Exists(Path.Combine(ExampleAppTests.RepoRoot(), "examples", "hello.json")), "the example the banner names exists");
    }

    [Fact]
    public void TryLine_OtherAddresses_PasteableFlags()
    {
        string line = ClusterPlan.TryLine(new UpOptions
        {
            StateDir = "/s",
            AdminRouterListen = new IPEndPoint(IPAddress.Any, 18080),
            DnsListen = new IPEndPoint(IPAddress.Loopback, 8053),
            HttpListen = new IPEndPoint(IPAddress.Loopback, 16421),
        });

        Assert.StartsWith("Web UI: http://127.0.0.1:18080/ ", line, StringComparison.Ordinal);
        Assert.Contains("minuet auth login --username NAME --url http://127.0.0.1:18080\n", line, StringComparison.Ordinal);
        Assert.Contains("minuet app list --url http://127.0.0.1:18080;", line, StringComparison.Ordinal);
        Assert.Contains("minuet dns hello.marathon.mesos --server 127.0.0.1:8053;", line, StringComparison.Ordinal);
        Assert.Contains("minuet vips --http http://127.0.0.1:16421.", line, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--help")]
    [InlineData("up", "--help")]
    public async Task Help_WhereRootIsNeeded_SaysHowWithAndWithoutSudo(params string[] args)
    {
        var result = await CliProcess.RunAsync(args);

        Assert.Equal(0, result.ExitCode);
        Assert.Contains("as root (`sudo ./minuet up` or, as root, `./minuet up`)", result.StdOut.ReplaceLineEndings(" ").Replace("  ", " ", StringComparison.Ordinal), StringComparison.Ordinal);
        Assert.DoesNotContain("`sudo minuet up`", result.StdOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_WithoutBalancer_BannerSaysHowToRunAsRoot()
    {
        var dataplane = ClusterPlan.Build(new UpOptions { StateDir = "/s", L4lb = false }).Single(m => m.Name == "dataplane");

        Assert.Contains("run up as root (`sudo ./minuet up` or, as root, `./minuet up`)", dataplane.Describe, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"id":"/g","apps":[{"id":"a","cmd":"x"}]}""", true)]
    [InlineData("""{"id":"/g","groups":[]}""", true)]
    [InlineData("""{"id":"/department-1","groups":[{"id":"database","apps":[{"id":"db","cmd":"x"}]}]}""", true)]
    [InlineData("""{"id":"/a","cmd":"x"}""", false)]
    [InlineData("""{"id":"/a","cmd":"x","apps":[]}""", false)]
    [InlineData("""[]""", false)]
    public void IsGroup_BodyShape_DecidesTheEndpoint(string json, bool group)
    {
        using var doc = JsonDocument.Parse(json);

        Assert.Equal(group, AppVerb.IsGroup(doc.RootElement));
    }
}
