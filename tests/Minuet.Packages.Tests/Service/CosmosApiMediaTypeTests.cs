using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Minuet.Platform.Packages.Service;

namespace Minuet.Packages.Tests.Service;

/// <summary>Cosmos's media-type rules: wrong or missing Content-Type or Accept → 400 with the error media type.</summary>
public sealed class CosmosApiMediaTypeTests : IAsyncLifetime, IDisposable
{
    private TestHttpServer _repo = null!;
    private CosmosHost _cosmos = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _repo = await TestHttpServer.StartAsync();
        _repo.Serve("/repo", 200, TestPackages.V4, TestPackages.Index(TestPackages.Entry("web", "1.0", 0), TestPackages.Entry("web", "2.0", 1)));
        _cosmos = CosmosHost.Create(new CosmosHostOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), Marathon = new Uri("http://127.0.0.1:1") }, null, [], out _)!;
        await _cosmos.StartAsync();
        _cosmos.Repositories.Add("test", _repo.Url("/repo"), null);
        _http = new HttpClient { BaseAddress = _cosmos.BaseAddress };
    }

    public void Dispose() => _http?.Dispose();

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _cosmos.DisposeAsync();
        await _repo.DisposeAsync();
    }

    private async Task<(HttpStatusCode Status, JsonObject Body, string? Type)> PostAsync(string path, string? contentType, string? accept, string body = "{}")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(body)) };
        if (contentType is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        using var response = await _http.SendAsync(request);
        return (response.StatusCode, (JsonObject)JsonNode.Parse(await response.Content.ReadAsStringAsync())!, response.Content.Headers.ContentType?.ToString());
    }

    private const string SearchRequest = "application/vnd.dcos.package.search-request+json;charset=utf-8;version=v1";
    private const string SearchResponse = "application/vnd.dcos.package.search-response+json;charset=utf-8;version=v1";
    private const string ErrorType = "application/vnd.dcos.package.error+json; charset=utf-8; version=v1";

    [Fact]
    public async Task Search_PlainJsonContentType_Is400UnsupportedContentType()
    {
        var (status, body, type) = await PostAsync("package/search", "application/json", SearchResponse);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(MediaTypeHeaderValue.Parse(ErrorType), MediaTypeHeaderValue.Parse(type!));
        Assert.Equal("UnsupportedContentType", body["type"]!.GetValue<string>());
        Assert.Equal($"Unsupported Content-Type: application/json Accept: [{SearchRequest}]", body["message"]!.GetValue<string>());
        Assert.Equal(SearchRequest, body["data"]!["supported"]![0]!.GetValue<string>());
    }

    [Fact]
    public async Task Search_NoContentType_Is400Unspecified()
    {
        var (status, body, _) = await PostAsync("package/search", null, SearchResponse);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.StartsWith("Unspecified Content-Type", body["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_OtherCallsRequestTypeOrVersion_Is400()
    {
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync("package/search", "application/vnd.dcos.package.install-request+json;charset=utf-8;version=v1", SearchResponse)).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await PostAsync("package/search", "application/vnd.dcos.package.search-request+json;charset=utf-8;version=v2", SearchResponse)).Status);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("application/json")]
    [InlineData("*/*")]
    [InlineData("application/vnd.dcos.package.search-response+json;charset=utf-8;version=v9")]
    public async Task Search_AcceptNotNamingTheResponseType_Is400NotValid(string? accept)
    {
        var (status, body, type) = await PostAsync("package/search", SearchRequest, accept);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(MediaTypeHeaderValue.Parse(ErrorType), MediaTypeHeaderValue.Parse(type!));
        Assert.Equal("NotValid", body["type"]!.GetValue<string>());
        Assert.Contains(SearchResponse, body["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Search_RightTypes_AnswersInTheResponseType()
    {
        var (status, body, type) = await PostAsync("package/search", SearchRequest, SearchResponse, """{"query":"we*"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(MediaTypeHeaderValue.Parse(SearchResponse), MediaTypeHeaderValue.Parse(type!));
        var web = body["packages"]!.AsArray().Single()!;
        Assert.Equal("2.0", web["currentVersion"]!.GetValue<string>());
        Assert.Equal("0", web["versions"]!["1.0"]!.GetValue<string>());
    }

    [Fact]
    public async Task Search_MalformedBody_Is400()
    {
        var (status, body, _) = await PostAsync("package/search", SearchRequest, SearchResponse, "{\"query\":");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("MalformedRequest", body["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Describe_AcceptListingV1AndV2_AnswersTheHigherQuality()
    {
        const string v1 = "application/vnd.dcos.package.describe-response+json;charset=utf-8;version=v1";
        const string v2 = "application/vnd.dcos.package.describe-response+json;charset=utf-8;version=v2";
        var (status, body, type) = await PostAsync("package/describe", "application/vnd.dcos.package.describe-request+json;charset=utf-8;version=v1", $"{v1};q=0.5,{v2}", """{"packageName":"web","packageVersion":"1.0"}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(MediaTypeHeaderValue.Parse(v2), MediaTypeHeaderValue.Parse(type!));
        Assert.Equal("1.0", body["version"]!.GetValue<string>()); // v2 is the definition itself
        (status, body, type) = await PostAsync("package/describe", "application/vnd.dcos.package.describe-request+json;charset=utf-8;version=v1", v1, """{"packageName":"web"}""");
        Assert.Equal(MediaTypeHeaderValue.Parse(v1), MediaTypeHeaderValue.Parse(type!));
        Assert.Equal("2.0", body["package"]!["version"]!.GetValue<string>());
        Assert.Contains("{{app.name}}", body["marathonMustache"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DescribeAndListVersions_UnknownPackageOrVersion_AreTypedErrors()
    {
        var (status, body, _) = await CosmosClient.CallAsync(_http, "describe", "describe", CosmosClient.Json("""{"packageName":"nope"}"""), "v2");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("PackageNotFound", body["type"]!.GetValue<string>());
        Assert.Equal("Package [nope] not found", body["message"]!.GetValue<string>());
        (status, body, _) = await CosmosClient.CallAsync(_http, "describe", "describe", CosmosClient.Json("""{"packageName":"web","packageVersion":"9"}"""), "v2");
        Assert.Equal("VersionNotFound", body["type"]!.GetValue<string>());
        Assert.Equal("Version [9] of package [web] not found", body["message"]!.GetValue<string>());
        (status, body, _) = await CosmosClient.CallAsync(_http, "list-versions", "list-versions", CosmosClient.Json("""{"packageName":"web","includePackageVersions":true}"""));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("1", body["results"]!["2.0"]!.GetValue<string>());
    }

    [Fact]
    public async Task Describe_PackageNameMissing_Is400NamingTheField()
    {
        var (status, body, _) = await CosmosClient.CallAsync(_http, "describe", "describe", new JsonObject(), "v2");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("packageName", body["message"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Capabilities_WithItsMediaType_ListsPackageManagement()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "capabilities");
        request.Headers.TryAddWithoutValidation("Accept", "application/vnd.dcos.capabilities+json;charset=utf-8;version=v1");
        using var response = await _http.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("PACKAGE_MANAGEMENT", body["capabilities"]![0]!["name"]!.GetValue<string>());
        using var bad = await _http.GetAsync("capabilities");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
    }
}
