using System.Diagnostics;
using System.Net;
using System.Net.WebSockets;
using System.Text;
using Microsoft.AspNetCore.Http;

namespace Minuet.Platform.Tests.AdminRouter;

/// <summary>Static routes as nginx had them: prefixes stripped or kept, redirects rewritten back, streams unbuffered.</summary>
public sealed class RoutingTests
{
    [Fact]
    public async Task Marathon_PrefixStripped_UpstreamSeesRestAndQuery()
    {
        await using var r = await TestRouter.StartAsync();
        using var response = await r.Client.SendAsync(TestRouter.Get("/marathon/v2/apps/web?embed=apps.tasks", r.Token()));
        Assert.Equal("marathon:/v2/apps/web?embed=apps.tasks", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Mesos_NoRedirectEndpoint_FirstMasterServes()
    {
        await using var r = await TestRouter.StartAsync();
        using var response = await r.Client.SendAsync(TestRouter.Get("/mesos/master/slaves", r.Token()));
        Assert.Equal("master:/master/slaves", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Mesos_RedirectToLeader_LeaderServes()
    {
        await using var leader = await FakeUpstream.StartAsync();
        leader.Handler = c => c.Response.WriteAsync("leader:" + c.Request.Path);
        await using var r = await TestRouter.StartAsync();
        r.Master.Handler = c =>
        {
            if (c.Request.Path == "/master/redirect")
            {
                c.Response.StatusCode = 307;
                c.Response.Headers.Location = "//" + leader.Url.Authority;
                return Task.CompletedTask;
            }

            return c.Response.WriteAsync("not the leader");
        };
        r.Time.Now += Minuet.Platform.AdminRouter.Routing.MasterLeader.Freshness; // the first master's earlier answer expires
        using var response = await r.Client.SendAsync(TestRouter.Get("/mesos/master/state", r.Token()));
        Assert.Equal("leader:/master/state", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Package_PrefixKept()
    {
        await using var r = await TestRouter.StartAsync();
        using var response = await r.Client.SendAsync(TestRouter.Get("/package/list", r.Token()));
        Assert.Equal("upstream:/package/list", await response.Content.ReadAsStringAsync());
        using var capabilities = await r.Client.SendAsync(TestRouter.Get("/capabilities", r.Token()));
        Assert.Equal("upstream:/capabilities", await capabilities.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task MesosDns_PrefixStripped()
    {
        await using var r = await TestRouter.StartAsync();
        using var response = await r.Client.SendAsync(TestRouter.Get("/mesos_dns/v1/hosts/web.marathon.mesos", r.Token()));
        Assert.Equal("upstream:/v1/hosts/web.marathon.mesos", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("/mesos", "/mesos/")]
    [InlineData("/marathon", "/marathon/")]
    [InlineData("/mesos_dns", "/mesos_dns/")]
    [InlineData("/service/hello", "/service/hello/")]
    public async Task BarePrefix_301ToSlashForm(string path, string location)
    {
        await using var r = await TestRouter.StartAsync();
        using var response = await r.Client.SendAsync(TestRouter.Get(path + "?a=1"));
        Assert.Equal(HttpStatusCode.MovedPermanently, response.StatusCode);
        Assert.Equal(location + "?a=1", response.Headers.Location?.OriginalString);
    }

    [Theory]
    [InlineData("/v2/apps/web", "/marathon/v2/apps/web")]
    [InlineData("UPSTREAM/v2/x?y=1", "/marathon/v2/x?y=1")]
    [InlineData("http://elsewhere.example/v2/x", "http://elsewhere.example/v2/x")]
    public async Task Location_RewrittenUnderPrefix(string upstreamLocation, string expected)
    {
        await using var r = await TestRouter.StartAsync();
        string location = upstreamLocation.Replace("UPSTREAM", r.Marathon.Url.GetLeftPart(UriPartial.Authority), StringComparison.Ordinal);
        r.Marathon.Handler = c =>
        {
            c.Response.StatusCode = 302;
            c.Response.Headers.Location = location;
            return Task.CompletedTask;
        };
        using var response = await r.Client.SendAsync(TestRouter.Get("/marathon/v2/go", r.Token()));
        Assert.Equal(HttpStatusCode.Found, response.StatusCode);
        Assert.Equal(expected, response.Headers.Location?.OriginalString);
    }

    [Fact]
    public async Task EventStream_FirstEventArrivesBeforeUpstreamEnds()
    {
        await using var r = await TestRouter.StartAsync();
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        r.Marathon.Handler = async c =>
        {
            c.Response.ContentType = "text/event-stream";
            await c.Response.WriteAsync("event: deployment_info\ndata: {}\n\n");
            await c.Response.Body.FlushAsync();
            await release.Task.WaitAsync(c.RequestAborted); // the stream stays open until the test has read the event
        };
        var request = TestRouter.Get("/marathon/v2/events", r.Token());
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var response = await r.Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await response.Content.ReadAsStreamAsync());
        string? first = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("event: deployment_info", first);
        Assert.False(release.Task.IsCompleted);
        release.SetResult();
    }

    [Fact]
    public async Task WebSocket_EchoesThroughRouter()
    {
        await using var r = await TestRouter.StartAsync();
        r.Marathon.Handler = async c =>
        {
            if (!c.WebSockets.IsWebSocketRequest)
            {
                c.Response.StatusCode = 400;
                return;
            }

            using var socket = await c.WebSockets.AcceptWebSocketAsync();
            var buffer = new byte[1024];
            var got = await socket.ReceiveAsync(buffer, CancellationToken.None);
            await socket.SendAsync(buffer.AsMemory(0, got.Count), WebSocketMessageType.Text, true, CancellationToken.None);
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "bye", CancellationToken.None);
        };
        using var client = new ClientWebSocket();
        client.Options.SetRequestHeader("Authorization", "token=" + r.Token());
        await client.ConnectAsync(new Uri($"ws://{r.Host.Address.Authority}/marathon/ws"), CancellationToken.None);
        await client.SendAsync(Encoding.UTF8.GetBytes("ping"), WebSocketMessageType.Text, true, CancellationToken.None);
        var answer = new byte[1024];
        var result = await client.ReceiveAsync(answer, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("ping", Encoding.UTF8.GetString(answer, 0, result.Count));
        Assert.Contains(r.Marathon.Seen, s => s.Target == "/ws");
    }

    [Fact]
    public async Task DeadUpstream_502Quickly()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop(); // nothing listens there now
        await using var r = await TestRouter.StartAsync(cosmosOverride: new Uri($"http://127.0.0.1:{port}/"));
        var clock = Stopwatch.StartNew();
        using var response = await r.Client.SendAsync(TestRouter.Get("/package/list", r.Token()));
        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}: a refused connection must not wait for a connect timeout");
    }

    [Fact]
    public async Task UnknownPath_404AndNothingProxied()
    {
        await using var r = await TestRouter.StartAsync();
        using var response = await r.Client.SendAsync(TestRouter.Get("/nope/v2/x", r.Token()));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.False(r.AnyUpstreamSaw("/nope"));
    }
}
