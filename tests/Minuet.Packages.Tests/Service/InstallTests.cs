using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler;
using Minuet.Platform.Packages.Service;

namespace Minuet.Packages.Tests.Service;

/// <summary>
/// install, list and uninstall against a real in-process master and Marathon-style scheduler over HTTP: what is
/// installed is known from Marathon's app labels alone.
/// </summary>
public sealed class InstallTests : IAsyncLifetime, IDisposable
{
    private MasterHost _master = null!;
    private SchedulerHost _scheduler = null!;
    private TestHttpServer _repo = null!;
    private CosmosHost _cosmos = null!;
    private HttpClient _http = null!;
    private HttpClient _marathon = null!;

    public async Task InitializeAsync()
    {
        _master = MasterHost.Create(new IPEndPoint(IPAddress.Loopback, 0), null, new MasterOptions());
        await _master.StartAsync();
        _scheduler = SchedulerHost.Create(new SchedulerHostOptions { MarathonListen = new IPEndPoint(IPAddress.Loopback, 0), Master = _master.Master });
        await _scheduler.StartAsync();
        _repo = await TestHttpServer.StartAsync();
        _repo.Serve("/repo", 200, TestPackages.V4, TestPackages.Index(
            TestPackages.Entry("web", "1.0", 0),
            TestPackages.Entry("jobs", "1.0", 0, framework: true),
            TestPackages.Entry("broken", "1.0", 0, template: """{"id":"/Broken_Id","cmd":"x","mem":-5}""")));
        _cosmos = CosmosHost.Create(new CosmosHostOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0), Marathon = _scheduler.BaseAddress, Mesos = _master.BaseAddress,
        }, null, [], out _)!;
        await _cosmos.StartAsync();
        _cosmos.Repositories.Add("test", _repo.Url("/repo"), null);
        _http = new HttpClient { BaseAddress = _cosmos.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
        _marathon = new HttpClient { BaseAddress = _scheduler.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
    }

    public void Dispose()
    {
        _http?.Dispose();
        _marathon?.Dispose();
    }

    public async Task DisposeAsync()
    {
        Dispose();
        await _cosmos.DisposeAsync();
        await _repo.DisposeAsync();
        await _scheduler.DisposeAsync();
        await _master.DisposeAsync();
    }

    private Task<(HttpStatusCode Status, JsonObject Body, string? ContentType)> InstallAsync(string json) =>
        CosmosClient.CallAsync(_http, "install", "install", CosmosClient.Json(json), "v2");

    [Fact]
    public async Task Install_CreatesTheAppWithCosmosLabels_ListShowsIt_UninstallRemovesIt()
    {
        var (status, body, type) = await InstallAsync("""{"packageName":"web","options":{"app":{"name":"site"}}}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/vnd.dcos.package.install-response+json;charset=utf-8;version=v2", type!.Replace(" ", string.Empty, StringComparison.Ordinal));
        Assert.Equal("web", body["packageName"]!.GetValue<string>());
        Assert.Equal("1.0", body["packageVersion"]!.GetValue<string>());
        Assert.Equal("/site", body["appId"]!.GetValue<string>());
        Assert.Equal("web installed", body["postInstallNotes"]!.GetValue<string>());

        var app = JsonNode.Parse(await _marathon.GetStringAsync("v2/apps/site"))!["app"]!;
        var labels = app["labels"]!;
        Assert.Equal("web", labels["DCOS_PACKAGE_NAME"]!.GetValue<string>());
        Assert.Equal("1.0", labels["DCOS_PACKAGE_VERSION"]!.GetValue<string>());
        Assert.Equal(_repo.Url("/repo"), labels["DCOS_PACKAGE_SOURCE"]!.GetValue<string>());
        Assert.Equal("""{"app":{"name":"site"}}""", Encoding.UTF8.GetString(Convert.FromBase64String(labels["DCOS_PACKAGE_OPTIONS"]!.GetValue<string>())));

        var (_, list, _) = await CosmosClient.CallAsync(_http, "list", "list", new JsonObject());
        var entry = list["packages"]!.AsArray().Single()!;
        Assert.Equal("/site", entry["appId"]!.GetValue<string>());
        Assert.Equal("web", entry["packageInformation"]!["packageDefinition"]!["name"]!.GetValue<string>());
        Assert.Equal("web for tests", entry["packageInformation"]!["packageDefinition"]!["description"]!.GetValue<string>());
        (_, list, _) = await CosmosClient.CallAsync(_http, "list", "list", CosmosClient.Json("""{"packageName":"jobs"}"""));
        Assert.Empty(list["packages"]!.AsArray());

        var (removed, result, _) = await CosmosClient.CallAsync(_http, "uninstall", "uninstall", CosmosClient.Json("""{"packageName":"web"}"""));
        Assert.Equal(HttpStatusCode.OK, removed);
        var only = result["results"]!.AsArray().Single()!;
        Assert.Equal("/site", only["appId"]!.GetValue<string>());
        Assert.Equal("1.0", only["packageVersion"]!.GetValue<string>());
        Assert.Equal("web removed", only["postUninstallNotes"]!.GetValue<string>());
        using var gone = await _marathon.GetAsync("v2/apps/site");
        Assert.Equal(HttpStatusCode.NotFound, gone.StatusCode);
        (_, list, _) = await CosmosClient.CallAsync(_http, "list", "list", new JsonObject());
        Assert.Empty(list["packages"]!.AsArray());
    }

    [Fact]
    public async Task Install_SameAppTwice_Is409PackageAlreadyInstalled()
    {
        Assert.Equal(HttpStatusCode.OK, (await InstallAsync("""{"packageName":"web"}""")).Status);
        var (status, body, type) = await InstallAsync("""{"packageName":"web"}""");
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal("PackageAlreadyInstalled", body["type"]!.GetValue<string>());
        Assert.StartsWith("application/vnd.dcos.package.error+json", type, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Install_MarathonRefusesTheApp_PassesMarathonsErrorThrough()
    {
        var (status, body, _) = await InstallAsync("""{"packageName":"broken"}""");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Equal("MarathonBadResponse", body["type"]!.GetValue<string>());
        Assert.Equal(422, body["data"]!["marathonStatus"]!.GetValue<int>());
        Assert.Equal("Object is not valid", body["data"]!["marathonError"]!["message"]!.GetValue<string>());
    }

    [Fact]
    public async Task Install_BadOptions_IsRefusedBeforeMarathonWithEveryPointer()
    {
        var (status, body, _) = await InstallAsync("""{"packageName":"web","options":{"app":{"name":5,"instances":-1}}}""");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("JsonSchemaMismatch", body["type"]!.GetValue<string>());
        Assert.Equal(["/app/instances", "/app/name"], body["data"]!["errors"]!.AsArray().Select(e => e!["instance"]!["pointer"]!.GetValue<string>()).Order());
        var apps = JsonNode.Parse(await _marathon.GetStringAsync("v2/apps"))!["apps"]!.AsArray();
        Assert.Empty(apps);
    }

    [Fact]
    public async Task Uninstall_TwoAppsOfOnePackage_IsAmbiguousWithoutAll_AndAllRemovesBoth()
    {
        await InstallAsync("""{"packageName":"web","appId":"/a"}""");
        await InstallAsync("""{"packageName":"web","appId":"/b"}""");
        var (status, body, _) = await CosmosClient.CallAsync(_http, "uninstall", "uninstall", CosmosClient.Json("""{"packageName":"web"}"""));
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal("AmbiguousAppId", body["type"]!.GetValue<string>());
        Assert.Equal(["/a", "/b"], body["data"]!["appIds"]!.AsArray().Select(a => a!.GetValue<string>()));

        (status, body, _) = await CosmosClient.CallAsync(_http, "uninstall", "uninstall", CosmosClient.Json("""{"packageName":"web","appId":"b"}"""));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("/b", body["results"]![0]!["appId"]!.GetValue<string>());
        await InstallAsync("""{"packageName":"web","appId":"/c"}""");
        (status, body, _) = await CosmosClient.CallAsync(_http, "uninstall", "uninstall", CosmosClient.Json("""{"packageName":"web","all":true}"""));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(["/a", "/c"], body["results"]!.AsArray().Select(r => r!["appId"]!.GetValue<string>()));
        (status, body, _) = await CosmosClient.CallAsync(_http, "uninstall", "uninstall", CosmosClient.Json("""{"packageName":"web"}"""));
        Assert.Equal("PackageNotInstalled", body["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task Uninstall_FrameworkPackage_TearsDownItsMesosFramework()
    {
        var (connection, error) = _master.Master.Subscribe(new SubscribeRequest { Name = "jobs" });
        Assert.Null(error);
        Assert.True(await FrameworkNamedAsync("jobs"));
        Assert.Equal(HttpStatusCode.OK, (await InstallAsync("""{"packageName":"jobs"}""")).Status);
        var (status, _, _) = await CosmosClient.CallAsync(_http, "uninstall", "uninstall", CosmosClient.Json("""{"packageName":"jobs"}"""));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(await FrameworkNamedAsync("jobs"));
        Assert.True(await FrameworkNamedAsync("marathon")); // only that framework
        GC.KeepAlive(connection);
    }

    private async Task<bool> FrameworkNamedAsync(string name)
    {
        using var master = new HttpClient { BaseAddress = _master.BaseAddress };
        var state = JsonNode.Parse(await master.GetStringAsync("master/state"))!;
        return state["frameworks"]!.AsArray().Any(f => f!["name"]!.GetValue<string>() == name);
    }

    [Fact]
    public async Task Install_MarathonAnswers5xx_Is502()
    {
        await using var failing = await TestHttpServer.StartAsync();
        failing.Serve("/v2/apps", 503, "application/json", """{"message":"leader unknown"}""");
        await using var cosmos = CosmosHost.Create(new CosmosHostOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0), Marathon = failing.BaseAddress }, null, [], out _)!;
        await cosmos.StartAsync();
        cosmos.Repositories.Add("test", _repo.Url("/repo"), null);
        using var http = new HttpClient { BaseAddress = cosmos.BaseAddress };
        var (status, body, _) = await CosmosClient.CallAsync(http, "install", "install", CosmosClient.Json("""{"packageName":"web"}"""), "v2");
        Assert.Equal(HttpStatusCode.BadGateway, status);
        Assert.Equal("MarathonBadGateway", body["type"]!.GetValue<string>());
        (status, _, _) = await CosmosClient.CallAsync(http, "list", "list", new JsonObject());
        Assert.Equal(HttpStatusCode.BadGateway, status);
    }
}
