using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler.MasterLink;
using Minuet.Coordination;
using Minuet.TestSupport;

namespace Minuet.ControlPlane.Tests.Scheduler;

/// <summary>The scheduler's master link given several masters: calls reach the leader, and follow it when it moves.</summary>
public sealed class HttpMasterLinkLeaderTests
{
    [Fact]
    public async Task Call_FirstMasterStandsByThenLeadershipMoves_EachCallReachesTheCurrentLeader()
    {
        await using var a = await FakeHaMaster.StartAsync();
        await using var b = await FakeHaMaster.StartAsync();
        a.RedirectTo = b.Authority;
        a.Serve = b.Serve = context =>
        {
            context.Response.StatusCode = 202;
            return Task.CompletedTask;
        };
        using var http = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false });
        using var locator = new LeaderLocator([a.BaseUrl, b.BaseUrl]);
        var link = new HttpMasterLink(http, locator);

        Assert.Null(await link.KillAsync("fw", new KillRequest { TaskId = "t1" }, CancellationToken.None));
        Assert.Contains("POST /api/v1/scheduler/kill", b.Calls);
        Assert.DoesNotContain("POST /api/v1/scheduler/kill", a.Calls);

        // b loses the lease; a leads. The next call, sent to b, is redirected and lands on a.
        a.RedirectTo = null;
        b.RedirectTo = a.Authority;
        Assert.Null(await link.KillAsync("fw", new KillRequest { TaskId = "t2" }, CancellationToken.None));
        Assert.Contains("POST /api/v1/scheduler/kill", a.Calls);
        Assert.Equal(a.BaseUrl, locator.Leader);

    }
}
