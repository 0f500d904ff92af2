using System.Net;
using System.Net.Sockets;
using Minuet.Coordination;
using Minuet.TestSupport;

namespace Minuet.ControlPlane.Tests.Coordination;

/// <summary>Leader discovery against fake masters on 127.0.0.1 answering as ha-core's masters do.</summary>
public sealed class LeaderLocatorTests
{
    private static readonly LeaderLocatorOptions Fast = new()
    {
        ProbeTimeout = TimeSpan.FromSeconds(2),
        MinBackoff = TimeSpan.FromMilliseconds(20),
        MaxBackoff = TimeSpan.FromMilliseconds(100),
    };

    [Fact]
    public async Task Lookup_FirstListedIsAStandby_FollowsIts307ToTheLeaderThatNamesItself()
    {
        await using var standby = await FakeHaMaster.StartAsync();
        await using var leader = await FakeHaMaster.StartAsync();
        standby.RedirectTo = leader.Authority;
        using var locator = new LeaderLocator([standby.BaseUrl, leader.BaseUrl], Fast);

        var found = await locator.LookupAsync(CancellationToken.None);

        Assert.Equal(leader.BaseUrl, found.Leader);
        Assert.Equal(leader.BaseUrl, locator.Leader);
        Assert.Equal(1, standby.RedirectProbes);
        Assert.Equal(1, leader.RedirectProbes); // asked once, to confirm it names itself
    }

    [Fact]
    public async Task Lookup_EveryMasterAnswers503_FailsWithEachMastersReason()
    {
        await using var a = await FakeHaMaster.StartAsync();
        await using var b = await FakeHaMaster.StartAsync();
        a.NoLeader = b.NoLeader = true;
        using var locator = new LeaderLocator([a.BaseUrl, b.BaseUrl], Fast);

        var found = await locator.LookupAsync(CancellationToken.None);

        Assert.Null(found.Leader);
        Assert.Contains($"{a.Authority} knows no leader (503)", found.Error, StringComparison.Ordinal);
        Assert.Contains($"{b.Authority} knows no leader (503)", found.Error, StringComparison.Ordinal);
        Assert.Null(locator.Leader);
    }

    [Fact]
    public async Task Lookup_FirstMasterRefusesConnections_FindsTheLeaderAmongTheOthers()
    {
        var closed = new Uri($"http://127.0.0.1:{ClosedPort()}/");
        await using var leader = await FakeHaMaster.StartAsync();
        using var locator = new LeaderLocator([closed, leader.BaseUrl], Fast);

        var found = await locator.LookupAsync(CancellationToken.None);

        Assert.Equal(leader.BaseUrl, found.Leader);
    }

    [Fact]
    public async Task Lookup_StandbyStillNamesADeadLeader_SkipsItAndFindsTheLiveOne()
    {
        await using var standby = await FakeHaMaster.StartAsync();
        await using var leader = await FakeHaMaster.StartAsync();
        standby.RedirectTo = "127.0.0.1:" + ClosedPort(); // the leader that just died, still named until its lease ends
        using var locator = new LeaderLocator([standby.BaseUrl, leader.BaseUrl], Fast);

        var found = await locator.LookupAsync(CancellationToken.None);

        Assert.Equal(leader.BaseUrl, found.Leader);
    }

    [Fact]
    public async Task Lookup_StandbyRestartedWhereTheLeaderDied_IsNotTakenForTheLeader()
    {
        // up restarts a killed master at its address; until the dead one's lease runs out it names that address.
        await using var restarted = await FakeHaMaster.StartAsync();
        await using var leader = await FakeHaMaster.StartAsync();
        restarted.RedirectTo = restarted.Authority;
        using var locator = new LeaderLocator([restarted.BaseUrl, leader.BaseUrl], Fast);

        var found = await locator.LookupAsync(CancellationToken.None);

        Assert.Equal(leader.BaseUrl, found.Leader);
        Assert.True(locator.Observe(restarted.BaseUrl, MasterAnswerKind.Redirect, $"//{restarted.Authority}/api/v1/scheduler"));
        Assert.NotEqual(restarted.BaseUrl, locator.Leader);
    }

    [Fact]
    public async Task Lookup_MasterWithoutTheRedirectRoute_LeadsItself()
    {
        await using var old = await FakeHaMaster.StartAsync();
        using var locator = new LeaderLocator([old.BaseUrl], Fast, new NotFoundForRedirect());

        var found = await locator.LookupAsync(CancellationToken.None);

        Assert.Equal(old.BaseUrl, found.Leader);
    }

    [Fact]
    public async Task FindAsync_ElectedLeaderStillLoading_WaitsOnItInsteadOfPassingAgain()
    {
        await using var dead = await FakeHaMaster.StartAsync();
        string deadAuthority = dead.Authority;
        await dead.DisposeAsync(); // the killed leader: its port refuses connections
        await using var elected = await FakeHaMaster.StartAsync();
        elected.NoLeader = true; // 503 until it has loaded its state, which a long poll on it waits for
        elected.LeadsOnceWaitedOn = true;
        await using var standby = await FakeHaMaster.StartAsync();
        standby.RedirectTo = deadAuthority;
        standby.RedirectWhenWaitedOnTo = elected.Authority;
        using var locator = new LeaderLocator([standby.BaseUrl], Fast);
        var misses = new System.Collections.Concurrent.ConcurrentQueue<string>();

        var leader = await locator.FindAsync(misses.Enqueue, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(elected.BaseUrl, leader);
        Assert.Empty(misses);
    }

    [Fact]
    public async Task FindAsync_NoLeaderUntilAnElection_ReturnsTheElectedMasterSoonAfter()
    {
        await using var a = await FakeHaMaster.StartAsync();
        await using var b = await FakeHaMaster.StartAsync();
        a.NoLeader = b.NoLeader = true;
        using var locator = new LeaderLocator([a.BaseUrl, b.BaseUrl], Fast);
        var misses = 0;
        var find = locator.FindAsync(_ => Interlocked.Increment(ref misses), CancellationToken.None);

        await WaitUntilAsync(() => Volatile.Read(ref misses) >= 2);
        Assert.False(find.IsCompleted);
        b.NoLeader = false; // b is elected
        a.NoLeader = false;
        a.RedirectTo = b.Authority;

        var leader = await find.WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(b.BaseUrl, leader);
    }

    [Fact]
    public async Task Observe_LeaderAnswers307ThenAnotherTakesOver_AdoptsTheNamedLeaderAndForgetsOnNoLeader()
    {
        await using var a = await FakeHaMaster.StartAsync();
        await using var b = await FakeHaMaster.StartAsync();
        b.RedirectTo = a.Authority;
        using var locator = new LeaderLocator([a.BaseUrl, b.BaseUrl], Fast);
        Assert.Equal(a.BaseUrl, await locator.FindAsync(null, CancellationToken.None));

        // a call to a is redirected: b leads now (scheme-less Location, with the call's path)
        Assert.True(locator.Observe(a.BaseUrl, MasterAnswerKind.Redirect, $"//{b.Authority}/api/agent/v1/register"));
        Assert.Equal(b.BaseUrl, locator.Leader);

        // b answers no_leader: forgotten; the next find asks the last... none known, so the list, in order
        Assert.True(locator.Observe(b.BaseUrl, MasterAnswerKind.NoLeader, null));
        Assert.Null(locator.Leader);

        // a leader's own refusal (a 503 from a full store) says nothing about leadership
        Assert.False(locator.Observe(a.BaseUrl, MasterAnswer.Classify(HttpStatusCode.ServiceUnavailable, null, "{\"code\":\"store_unavailable\"}"u8), null));
    }

    [Fact]
    public async Task Lookup_AfterALeaderChange_AsksTheLastLeaderFirst()
    {
        await using var a = await FakeHaMaster.StartAsync();
        await using var b = await FakeHaMaster.StartAsync();
        a.RedirectTo = b.Authority;
        using var locator = new LeaderLocator([a.BaseUrl, b.BaseUrl], Fast);
        Assert.Equal(b.BaseUrl, (await locator.LookupAsync(CancellationToken.None)).Leader);
        int aProbes = a.RedirectProbes;

        Assert.Equal(b.BaseUrl, (await locator.LookupAsync(CancellationToken.None)).Leader);

        Assert.Equal(aProbes, a.RedirectProbes); // b, the last leader, answered for itself
    }

    [Theory]
    [InlineData(HttpStatusCode.ServiceUnavailable, null, "{\"code\":\"no_leader\",\"message\":\"x\"}", MasterAnswerKind.NoLeader)]
    [InlineData(HttpStatusCode.ServiceUnavailable, null, "{\"message\":\"store full\",\"code\":\"store_unavailable\"}", MasterAnswerKind.Answered)]
    [InlineData(HttpStatusCode.ServiceUnavailable, null, "<html>busy</html>", MasterAnswerKind.Answered)]
    [InlineData(HttpStatusCode.TemporaryRedirect, "//10.0.0.2:5050/api/agent/v1/register", "", MasterAnswerKind.Redirect)]
    [InlineData(HttpStatusCode.TemporaryRedirect, null, "", MasterAnswerKind.Answered)]
    [InlineData(HttpStatusCode.OK, null, "{}", MasterAnswerKind.Answered)]
    public void Classify_MasterAnswers_TellsStandbyAndLeaderlessFromTheLeadersOwnRefusals(HttpStatusCode status, string? location, string body, MasterAnswerKind expected) =>
        Assert.Equal(expected, MasterAnswer.Classify(status, location, System.Text.Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData("//10.0.0.2:5050", "http://10.0.0.2:5050/")]
    [InlineData("//10.0.0.2:5051/master/state?x=1", "http://10.0.0.2:5051/")]
    [InlineData("http://[::1]:5050/x", "http://[::1]:5050/")]
    [InlineData("ftp://10.0.0.2:21", null)]
    [InlineData("", null)]
    public void LeaderFromLocation_SchemeLessOrAbsolute_GivesTheLeadersBaseUrl(string location, string? expected) =>
        Assert.Equal(expected, MasterAnswer.LeaderFromLocation(new Uri("http://127.0.0.1:5050/master/redirect"), location)?.ToString());

    [Theory]
    [InlineData("http://m1:5050,http://m2:5050, http://m3:5050", new[] { "http://m1:5050/", "http://m2:5050/", "http://m3:5050/" }, null)]
    [InlineData("127.0.0.1:5050", new[] { "http://127.0.0.1:5050/" }, null)]
    [InlineData("not-a-url", new string[0], "'not-a-url' is not an http:// URL")]
    [InlineData("http://m1:5050,http://m1:5050/", new string[0], "'http://m1:5050/' is listed twice")]
    [InlineData("http://m1:5050/master/state", new string[0], "without a path or query")]
    [InlineData(" , ", new string[0], "give at least one master URL")]
    public void MasterList_TryParse_AcceptsListsAndNamesTheBadEntry(string text, string[] expected, string? error)
    {
        bool ok = MasterList.TryParse(text, out var masters, out var message);

        Assert.Equal(error is null, ok);
        Assert.Equal(expected, masters.Select(m => m.ToString()));
        if (error is not null)
        {
            Assert.Contains(error, message, StringComparison.Ordinal);
        }
    }

    private static int ClosedPort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "timed out");
            await Task.Delay(10);
        }
    }

    /// <summary>A master of an older build: <c>/master/redirect</c> is not a route (404).</summary>
    private sealed class NotFoundForRedirect : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(HttpStatusCode.NotFound) { RequestMessage = request });
    }
}
