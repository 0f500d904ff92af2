using System.Net;
using System.Text.Json.Nodes;
using Minuet.Packages.Tests.Service;
using Minuet.Platform.Packages.Service;

namespace Minuet.Packages.Tests.Repositories;

/// <summary>Several repositories in order, the index cache, repositories that fail, and the list across restarts.</summary>
public sealed class RepositoryTests : IAsyncLifetime, IDisposable
{
    private readonly ManualTime _time = new(DateTimeOffset.UtcNow);
    private readonly string _stateDir = Directory.CreateTempSubdirectory("minuet-packages-").FullName;
    private TestHttpServer _repos = null!;
    private CosmosHost _cosmos = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _repos = await TestHttpServer.StartAsync();
        _repos.Serve("/first", 200, TestPackages.V4, TestPackages.Index(TestPackages.Entry("web", "1.0", 0), TestPackages.Entry("only-first", "1.0", 0)));
        _repos.Serve("/second", 200, "application/vnd.dcos.universe.repo+json;charset=utf-8;version=v3", TestPackages.Index(TestPackages.Entry("web", "9.0", 3), TestPackages.Entry("only-second", "2.0", 0)));
        _repos.Serve("/html", 200, "text/html", "<html>not a repository</html>");
        _repos.Serve("/notjson", 200, TestPackages.V4, "{\"packages\":");
        _cosmos = await StartCosmosAsync();
        _http = new HttpClient { BaseAddress = _cosmos.BaseAddress };
    }

    private async Task<CosmosHost> StartCosmosAsync()
    {
        var host = CosmosHost.Create(new CosmosHostOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), Marathon = new Uri("http://127.0.0.1:1"), StateDir = _stateDir, Time = _time }, null, [], out _)!;
        await host.StartAsync();
        return host;
    }

    public void Dispose() => _http?.Dispose();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _cosmos.DisposeAsync();
        await _repos.DisposeAsync();
        Directory.Delete(_stateDir, recursive: true);
    }

    private Task<(HttpStatusCode Status, JsonObject Body, string? ContentType)> AddAsync(string name, string path, int? index = null)
    {
        var body = new JsonObject { ["name"] = name, ["uri"] = _repos.Url(path) };
        if (index is not null)
        {
            body["index"] = index;
        }

        return CosmosClient.CallAsync(_http, "repository/add", "repository.add", body);
    }

    private async Task<string> DescribedVersionAsync(string name)
    {
        var (status, body, _) = await CosmosClient.CallAsync(_http, "describe", "describe", new JsonObject { ["packageName"] = name }, "v2");
        Assert.Equal(HttpStatusCode.OK, status);
        return body["version"]!.GetValue<string>();
    }

    [Fact]
    public async Task TwoRepositoriesWithOnePackage_FirstInTheListWins_AndIndexZeroReordersIt()
    {
        await AddAsync("first", "/first");
        await AddAsync("second", "/second");
        Assert.Equal("1.0", await DescribedVersionAsync("web"));
        Assert.Equal("2.0", await DescribedVersionAsync("only-second")); // the other packages of the second are still found

        var (_, search, _) = await CosmosClient.CallAsync(_http, "search", "search", new JsonObject());
        Assert.Equal(["only-first", "only-second", "web"], search["packages"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));
        Assert.Equal("1.0", search["packages"]!.AsArray().Single(p => p!["name"]!.GetValue<string>() == "web")!["currentVersion"]!.GetValue<string>());

        await CosmosClient.CallAsync(_http, "repository/delete", "repository.delete", new JsonObject { ["name"] = "second" });
        var (status, list, _) = await AddAsync("second", "/second", 0);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["second", "first"], list["repositories"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
        Assert.Equal("9.0", await DescribedVersionAsync("web"));
    }

    [Fact]
    public async Task Index_FetchedWithCosmosAcceptHeader_AndAtMostOnceAMinute()
    {
        await AddAsync("first", "/first");
        await DescribedVersionAsync("web");
        await DescribedVersionAsync("web");
        await CosmosClient.CallAsync(_http, "search", "search", new JsonObject());
        Assert.Equal(1, _repos.Hits["/first"]);
        Assert.Contains("application/vnd.dcos.universe.repo+json;charset=utf-8;version=v4", _repos.LastAccept["/first"], StringComparison.Ordinal);
        Assert.Contains("version=v3", _repos.LastAccept["/first"], StringComparison.Ordinal);

        _time.Advance(TimeSpan.FromSeconds(59));
        await DescribedVersionAsync("web");
        Assert.Equal(1, _repos.Hits["/first"]);

        // A new revision appears upstream; it is seen once the minute is over.
        _repos.Serve("/first", 200, TestPackages.V4, TestPackages.Index(TestPackages.Entry("web", "1.0", 0), TestPackages.Entry("web", "1.1", 1)));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal("1.1", await DescribedVersionAsync("web"));
        Assert.Equal(2, _repos.Hits["/first"]);
    }

    [Fact]
    public async Task UnreachableAndInvalidRepositoriesFirst_OthersKeepWorking_AndErrorsAreTyped()
    {
        var (status, _, _) = await CosmosClient.CallAsync(_http, "repository/add", "repository.add", CosmosClient.Json("""{"name":"down","uri":"http://127.0.0.1:1/repo"}"""));
        Assert.Equal(HttpStatusCode.OK, status);
        await AddAsync("html", "/html");
        await AddAsync("notjson", "/notjson");
        await AddAsync("missing", "/missing");
        await AddAsync("second", "/second");

        Assert.Equal("9.0", await DescribedVersionAsync("web"));
        var (_, search, _) = await CosmosClient.CallAsync(_http, "search", "search", CosmosClient.Json("""{"query":"only"}"""));
        Assert.Equal(["only-second"], search["packages"]!.AsArray().Select(p => p!["name"]!.GetValue<string>()));

        var (notFound, body, _) = await CosmosClient.CallAsync(_http, "describe", "describe", CosmosClient.Json("""{"packageName":"ghost"}"""), "v2");
        Assert.Equal(HttpStatusCode.BadRequest, notFound);
        Assert.Equal("PackageNotFound", body["type"]!.GetValue<string>());
        var types = body["data"]!["repositoryErrors"]!.AsArray().Select(e => e!["type"]!.GetValue<string>()).ToArray();
        Assert.Equal(["RepositoryUriConnection", "UnsupportedContentType", "IndexNotFound", "RepositoryUriConnection"], types);
        Assert.Contains("html", body["data"]!["repositoryErrors"]![1]!["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RepositoryAdd_DuplicateBadUriOrIndex_AreTypedErrors()
    {
        await AddAsync("first", "/first");
        var (status, body, _) = await AddAsync("first", "/second");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("Repository name [first] is already present in the list", body["message"]!.GetValue<string>());
        (_, body, _) = await AddAsync("again", "/first");
        Assert.Equal("RepositoryAlreadyPresent", body["type"]!.GetValue<string>());
        (_, body, _) = await CosmosClient.CallAsync(_http, "repository/add", "repository.add", CosmosClient.Json("""{"name":"x","uri":"not a uri"}"""));
        Assert.Equal("RepositoryUriSyntax", body["type"]!.GetValue<string>());
        (_, body, _) = await AddAsync("far", "/second", 5);
        Assert.Equal("RepositoryAddIndexOutOfBounds", body["type"]!.GetValue<string>());
        (_, body, _) = await CosmosClient.CallAsync(_http, "repository/delete", "repository.delete", CosmosClient.Json("""{"name":"nope"}"""));
        Assert.Equal("RepositoryNotPresent", body["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task RepositoryList_SurvivesARestart()
    {
        await AddAsync("first", "/first");
        await AddAsync("second", "/second", 0);
        await _cosmos.DisposeAsync();
        _cosmos = await StartCosmosAsync();
        _http.Dispose();
        _http = new HttpClient { BaseAddress = _cosmos.BaseAddress };
        var (_, list, _) = await CosmosClient.CallAsync(_http, "repository/list", "repository.list", new JsonObject());
        Assert.Equal(["second", "first"], list["repositories"]!.AsArray().Select(r => r!["name"]!.GetValue<string>()));
    }
}
