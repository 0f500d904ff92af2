using System.Net;
using Microsoft.AspNetCore.Http;

namespace Minuet.Platform.Tests.AdminRouter;

/// <summary><c>/service/&lt;name&gt;/</c>: labels, frameworks, group paths, misses, a stale cache, and refresh by events.</summary>
public sealed class ServiceTests
{
    internal static string AppsJson(string name, int port, string extraLabels = "", string state = "TASK_RUNNING") =>
        $$"""{"apps":[{"id":"/{{name}}","labels":{"DCOS_SERVICE_NAME":"{{name}}","DCOS_SERVICE_SCHEME":"http","DCOS_SERVICE_PORT_INDEX":"1"{{extraLabels}}},"tasks":[{"id":"t1","host":"127.0.0.1","state":"{{state}}","ports":[1,{{port}}]}]}]}""";

    [Fact]
    public async Task Label_ResolvesToTaskPortAtIndex_PrefixStripped()
    {
        await using var r = await TestRouter.StartAsync();
        await SetAppsAsync(r, AppsJson("hello", r.Task.Url.Port));
        using var response = await r.Client.SendAsync(TestRouter.Get("/service/hello/api/x?q=1", r.Token()));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("upstream:/api/x?q=1", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Label_LocationRewrittenUnderServicePrefix_AcceptEncodingCleared()
    {
        await using var r = await TestRouter.StartAsync();
        string? acceptEncoding = "unset";
        r.Task.Handler = c =>
        {
            acceptEncoding = c.Request.Headers.AcceptEncoding.FirstOrDefault();
            c.Response.StatusCode = 302;
            c.Response.Headers.Location = "/login";
            return Task.CompletedTask;
        };
        await SetAppsAsync(r, AppsJson("hello", r.Task.Url.Port));
        var request = TestRouter.Get("/service/hello/", r.Token());
        request.Headers.TryAddWithoutValidation("Accept-Encoding", "gzip");
        using var response = await r.Client.SendAsync(request);
        Assert.Equal("/service/hello/login", response.Headers.Location?.OriginalString);
        Assert.Null(acceptEncoding);
    }

    [Fact]
    public async Task GroupPath_ResolvedSegmentBySegment()
    {
        await using var r = await TestRouter.StartAsync();
        await SetAppsAsync(r, AppsJson("dev/hello", r.Task.Url.Port));
        using var response = await r.Client.SendAsync(TestRouter.Get("/service/dev/hello/status", r.Token()));
        Assert.Equal("upstream:/status", await response.Content.ReadAsStringAsync());
        using var bare = await r.Client.SendAsync(TestRouter.Get("/service/dev/hello", r.Token()));
        Assert.Equal(HttpStatusCode.MovedPermanently, bare.StatusCode);
        Assert.Equal("/service/dev/hello/", bare.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task TaskNotRunning_404ServiceNotFound()
    {
        await using var r = await TestRouter.StartAsync();
        await SetAppsAsync(r, AppsJson("hello", r.Task.Url.Port, state: "TASK_STAGING"));
        using var response = await r.Client.SendAsync(TestRouter.Get("/service/hello/", r.Token()));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("service not found", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Empty(r.Task.Seen);
    }

    [Fact]
    public async Task Framework_ByNameAndId_WebuiUrlWithPidHost()
    {
        await using var r = await TestRouter.StartAsync();
        r.MasterState = $$"""{"frameworks":[{"id":"fw-1","name":"chronos","webui_url":"http://somewhere.invalid:{{r.Task.Url.Port}}/ui","pid":"scheduler-1@127.0.0.1:4000"}]}""";
        await SetAppsAsync(r, "{\"apps\":[]}");
        using var byName = await r.Client.SendAsync(TestRouter.Get("/service/chronos/jobs", r.Token()));
        Assert.Equal("upstream:/ui/jobs", await byName.Content.ReadAsStringAsync());
        using var byId = await r.Client.SendAsync(TestRouter.Get("/service/fw-1/", r.Token()));
        Assert.Equal("upstream:/ui/", await byId.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Framework_EmptyWebuiUrl_UsesMesosDnsSrv()
    {
        await using var r = await TestRouter.StartAsync();
        r.Dns.Handler = c => c.Request.Path == "/v1/services/_kafka._tcp.marathon.mesos"
            ? c.Response.WriteAsync($$"""[{"service":"_kafka._tcp.marathon.mesos","host":"kafka.marathon.mesos.","ip":"127.0.0.1","port":"{{r.Task.Url.Port}}"}]""")
            : c.Response.WriteAsync("[]");
        r.MasterState = """{"frameworks":[{"id":"fw-2","name":"kafka","webui_url":"","pid":"k@127.0.0.1:1"}]}""";
        await SetAppsAsync(r, "{\"apps\":[]}");
        using var response = await r.Client.SendAsync(TestRouter.Get("/service/kafka/v1/brokers", r.Token()));
        Assert.Equal("upstream:/v1/brokers", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Framework_NullWebuiUrl_404()
    {
        await using var r = await TestRouter.StartAsync();
        r.MasterState = """{"frameworks":[{"id":"fw-3","name":"quiet","webui_url":null,"pid":"q@127.0.0.1:1"}]}""";
        await SetAppsAsync(r, "{\"apps\":[]}");
        using var response = await r.Client.SendAsync(TestRouter.Get("/service/quiet/", r.Token()));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task StaleCache_503()
    {
        await using var r = await TestRouter.StartAsync(o => o with { ServiceCacheLimit = TimeSpan.FromMinutes(1) });
        await SetAppsAsync(r, AppsJson("hello", r.Task.Url.Port));
        r.Time.Now += TimeSpan.FromMinutes(2); // no successful read for longer than the limit
        using var response = await r.Client.SendAsync(TestRouter.Get("/service/hello/", r.Token()));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(r.Task.Seen);
    }

    [Fact]
    public async Task MarathonEvent_RefreshesCacheWithoutPoll()
    {
        await using var r = await TestRouter.StartAsync(); // poll every 10 minutes: only the event can refresh in time
        using (var before = await r.Client.SendAsync(TestRouter.Get("/service/hello/", r.Token())))
        {
            Assert.Equal(HttpStatusCode.NotFound, before.StatusCode);
        }

        await SetAppsAsync(r, AppsJson("hello", r.Task.Url.Port));
        using var after = await r.Client.SendAsync(TestRouter.Get("/service/hello/", r.Token()));
        Assert.Equal(HttpStatusCode.OK, after.StatusCode);
    }

    [Fact]
    public async Task Service_NoToken_401AndNothingProxied()
    {
        await using var r = await TestRouter.StartAsync();
        await SetAppsAsync(r, AppsJson("hello", r.Task.Url.Port));
        using var response = await r.Client.SendAsync(TestRouter.Get("/service/hello/"));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(r.Task.Seen);
    }

    /// <summary>Changes Marathon's apps and tells the router through the event stream, as Marathon would.</summary>
    internal static async Task SetAppsAsync(TestRouter r, string apps)
    {
        await WaitForSubscriberAsync(r);
        var expected = Minuet.Platform.AdminRouter.Services.ServiceStateParser.MarathonServices(apps)!;
        string state = r.MasterState;
        r.MarathonApps = apps;
        await r.PushEventAsync("status_update_event");
        await r.WaitForCacheAsync(s => s.MarathonServices.Count == expected.Count && expected.All(e => s.MarathonServices.TryGetValue(e.Key, out var v) && v == e.Value)
            && s.Frameworks.Count == (Minuet.Platform.AdminRouter.Services.ServiceStateParser.Frameworks(state)?.Count ?? 0));
    }

    private static async Task WaitForSubscriberAsync(TestRouter r)
    {
        var deadline = DateTime.UtcNow.AddSeconds(20);
        while (r.EventSubscribers == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the router never subscribed to /v2/events");
            await Task.Delay(20);
        }
    }
}
