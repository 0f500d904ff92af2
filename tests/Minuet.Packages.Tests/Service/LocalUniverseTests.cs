using System.Net;
using System.Text.Json.Nodes;
using Minuet.Platform.Packages.Service;

namespace Minuet.Packages.Tests.Service;

/// <summary>The local Universe: package folders served at <c>/repo</c> and listed as the first repository.</summary>
public sealed class LocalUniverseTests : IDisposable
{
    private readonly string _stateDir = Directory.CreateTempSubdirectory("minuet-local-universe-").FullName;

    public void Dispose() => Directory.Delete(_stateDir, recursive: true);

    [Fact]
    public async Task Start_WithLocalUniverse_ServesRepoFirstAndFindsHelloWorld()
    {
        // A list saved by an earlier run, without the local Universe: it comes back first.
        File.WriteAllText(Path.Combine(_stateDir, "repositories.json"), """{"repositories":[{"name":"other","uri":"http://127.0.0.1:1/repo"}]}""");
        var options = new CosmosHostOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0), Marathon = new Uri("http://127.0.0.1:1"), StateDir = _stateDir,
            LocalUniverse = Path.Combine(AppContext.BaseDirectory, "universe", "packages"),
        };
        await using var cosmos = CosmosHost.Create(options, null, [], out _)!;
        await cosmos.StartAsync();
        using var http = new HttpClient { BaseAddress = cosmos.BaseAddress };

        using var repo = await http.GetAsync("repo");
        Assert.Equal("application/vnd.dcos.universe.repo+json; charset=utf-8; version=v4", repo.Content.Headers.ContentType!.ToString());
        var (_, list, _) = await CosmosClient.CallAsync(http, "repository/list", "repository.list", new JsonObject());
        Assert.Equal(["local-universe", "other"], list["repositories"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
        Assert.EndsWith("/repo", list["repositories"]![0]!["uri"]!.GetValue<string>(), StringComparison.Ordinal);

        var (status, search, _) = await CosmosClient.CallAsync(http, "search", "search", CosmosClient.Json("""{"query":"hello"}"""));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("hello-world", search["packages"]![0]!["name"]!.GetValue<string>());
    }

    [Fact]
    public void Start_LocalUniverseThatDoesNotBuild_IsRefusedWithTheProblems()
    {
        string broken = Path.Combine(_stateDir, "broken", "web", "0");
        Directory.CreateDirectory(broken);
        File.WriteAllText(Path.Combine(broken, "package.json"), """{"name":"Web"}""");
        var errors = new List<string>();
        var host = CosmosHost.Create(new CosmosHostOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), Marathon = new Uri("http://127.0.0.1:1"), LocalUniverse = Path.Combine(_stateDir, "broken") }, null, errors, out _);
        Assert.Null(host);
        Assert.Contains(errors, e => e.Contains("packagingVersion is required", StringComparison.Ordinal));
    }
}
