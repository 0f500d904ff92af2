using System.Net;
using Microsoft.AspNetCore.Http;

namespace Minuet.Platform.Tests.AdminRouter;

/// <summary>DC/OS's <c>/agent/&lt;id&gt;/</c> (the web UI reads task sandboxes through it) and the UI at <c>/</c>.</summary>
public sealed class AgentRouteTests
{
    [Fact]
    public async Task Agent_KnownId_ForwardsRestToThatAgentWithToken()
    {
        await using var r = await StartWithAgentAsync();
        string token = r.Token();

        using var response = await r.Client.SendAsync(TestRouter.Get("/agent/abc-S0/files/read?path=%2Fsandbox%2Fstdout&offset=0", token));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("agent:/files/read?path=%2Fsandbox%2Fstdout&offset=0", await response.Content.ReadAsStringAsync());
        Assert.Contains(r.Task.Seen, s => s.Target == "/files/read?path=%2Fsandbox%2Fstdout&offset=0" && s.Authorization == "token=" + token);
    }

    [Theory]
    [InlineData("/agent/no-such-S9/state")]
    [InlineData("/agent/bad%20id/state")]
    public async Task Agent_UnknownOrMalformedId_404(string path)
    {
        await using var r = await StartWithAgentAsync();

        using var response = await r.Client.SendAsync(TestRouter.Get(path, r.Token()));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Empty(r.Task.Seen);
    }

    [Fact]
    public async Task Agent_NoToken_401AndNothingForwarded()
    {
        await using var r = await StartWithAgentAsync();

        using var response = await r.Client.SendAsync(TestRouter.Get("/agent/abc-S0/state"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(r.Task.Seen);
    }

    [Fact]
    public async Task Ui_RootWithoutToken_ServesThePage()
    {
        await using var r = await TestRouter.StartAsync();

        using var response = await r.Client.SendAsync(TestRouter.Get("/"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("/assets/app.js", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static async Task<TestRouter> StartWithAgentAsync()
    {
        var r = await TestRouter.StartAsync();
        var original = r.Master.Handler;
        r.Master.Handler = c => c.Request.Path == "/master/slaves"
            ? c.Response.WriteAsync($$"""{"slaves":[{"id":"abc-S0","pid":"slave(1)@{{r.Task.Url.Authority}}","hostname":"127.0.0.1"}]}""")
            : original(c);
        r.Task.Handler = c => c.Response.WriteAsync("agent:" + c.Request.Path + c.Request.QueryString);
        return r;
    }
}
