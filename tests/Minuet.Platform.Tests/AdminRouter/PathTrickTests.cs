using System.Net;

namespace Minuet.Platform.Tests.AdminRouter;

/// <summary>Path tricks never reach an upstream the path does not name, with or without a token.</summary>
public sealed class PathTrickTests
{
    [Theory]
    [InlineData("/service/../mesos/master/probe")]
    [InlineData("/service/%2e%2e/mesos/master/probe")]
    [InlineData("/service/%2E%2E/mesos/master/probe")]
    [InlineData("/marathon/../mesos/master/probe")]
    [InlineData("/marathon/./%2e./mesos/master/probe")]
    public async Task DotSegments_400AndNoUpstream(string target)
    {
        await using var r = await TestRouter.StartAsync();
        r.MarathonApps = ServiceTests.AppsJson("hello", r.Task.Url.Port);
        int status = await r.RawStatusAsync(target, r.Token());
        Assert.True(status is 400 or 404, $"status {status}");
        Assert.False(r.AnyUpstreamSaw("/master/probe"), "reached the master");
        Assert.Empty(r.Task.Seen);
    }

    [Fact]
    public async Task EncodedDotsInsideService_StayWithThatService()
    {
        await using var r = await TestRouter.StartAsync();
        await ServiceTests.SetAppsAsync(r, ServiceTests.AppsJson("hello", r.Task.Url.Port));
        int status = await r.RawStatusAsync("/service/hello/..%2f..%2fmesos/master/probe", r.Token());
        Assert.Equal(200, status);
        Assert.False(r.AnyUpstreamSaw("/master/probe"), "reached the master");
        Assert.Single(r.Task.Seen);
    }

    [Theory]
    [InlineData("//mesos/master/probe")]
    [InlineData("/service//mesos/master/probe")]
    [InlineData("/service/%2fmesos/master/probe")]
    public async Task EmptyOrEncodedSlashSegments_NoUpstream(string target)
    {
        await using var r = await TestRouter.StartAsync();
        int status = await r.RawStatusAsync(target, r.Token());
        Assert.True(status is 400 or 404, $"status {status}");
        Assert.False(r.AnyUpstreamSaw("/master/probe"), "reached the master");
    }

    [Fact]
    public async Task VeryLongServiceName_RefusedWithoutUpstream()
    {
        await using var r = await TestRouter.StartAsync();
        string name = new('a', 5000);
        int status = await r.RawStatusAsync("/service/" + name + "/x", r.Token());
        Assert.True(status is 404 or 414, $"status {status}");
        Assert.Empty(r.Task.Seen);
        Assert.False(r.AnyUpstreamSaw("/x"));
    }

    [Fact]
    public async Task ServiceRoot_404ServiceNotFound()
    {
        await using var r = await TestRouter.StartAsync();
        using var response = await r.Client.SendAsync(TestRouter.Get("/service/", r.Token()));
        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }
}
