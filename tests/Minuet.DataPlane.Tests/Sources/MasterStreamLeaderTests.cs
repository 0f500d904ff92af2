using System.Diagnostics;
using Microsoft.AspNetCore.Http;
using Minuet.Coordination;
using Minuet.DataPlane.Sources;
using Minuet.TestSupport;

namespace Minuet.DataPlane.Tests.Sources;

/// <summary>
/// <c>--master-url http://a,http://b</c>: the stream source follows the leader among fake HA masters (ha-core's
/// contract: <c>/master/redirect</c>, 307 from standbys, 503 no_leader), keeps the last snapshot while none leads,
/// and DNS <c>leader.mesos</c> names the new leader within a second of the change.
/// </summary>
public sealed class MasterStreamLeaderTests
{
    // Far below the stream's 30 s idle timeout (the slow path this proves is not taken), far above a loaded CI's stalls.
    private static readonly TimeSpan BeforeTheStreamTimeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task RunAsync_LeaderIsDeposedButKeepsItsStreamOpen_SwitchesToTheNewLeaderAndLeaderMesosFollowsWithoutWaitingForTheStreamTimeout()
    {
        await using var a = await FakeHaMaster.StartAsync();
        await using var b = await FakeHaMaster.StartAsync();
        using var killA = new CancellationTokenSource();
        a.Serve = Stream("198.18.0.1", "app-on-a", killA.Token);
        b.RedirectTo = a.Authority;
        b.Serve = Stream("198.18.0.2", "app-on-b", CancellationToken.None);
        var fixture = new PipelineFixture();
        using var source = new MasterStreamSource([b.BaseUrl, a.BaseUrl], fixture.Pipeline, TimeSpan.FromSeconds(30), handler: null,
            leaderOptions: new LeaderLocatorOptions { MinBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(100) })
        {
            LeaderWatchInterval = TimeSpan.FromMilliseconds(200),
        };
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => source.RunAsync(stop.Token));
        try
        {
            Assert.True(await source.WaitForFirstSnapshotAsync(TimeSpan.FromSeconds(10), CancellationToken.None));
            Assert.Equal("198.18.0.1", LeaderA(fixture));
            Assert.Equal(a.BaseUrl, source.Following);

            // a loses its lease and stands by, its stream still open (nothing breaks the connection); b leads.
            b.RedirectTo = null;
            a.RedirectTo = b.Authority;
            var clock = Stopwatch.StartNew();
            Assert.True(await PipelineFixture.EventuallyAsync(() => LeaderA(fixture) == "198.18.0.2", timeoutMs: 20_000), "leader.mesos never named b");
            Assert.True(clock.Elapsed < BeforeTheStreamTimeout, $"leader.mesos followed after {clock.Elapsed.TotalMilliseconds:0} ms");
            Assert.True(fixture.Store.Current!.Records.Names.ContainsKey("app-on-b.marathon.mesos"));
            Assert.False(fixture.Store.Current.Records.Names.ContainsKey("app-on-a.marathon.mesos")); // b's snapshot replaced a's state
            Assert.Equal(b.BaseUrl, source.Following);
            Assert.Equal(5050, Assert.Single(fixture.Store.Current.Records.Names["_leader._tcp.mesos"].Srv).Port);
        }
        finally
        {
            await stop.CancelAsync();
            await killA.CancelAsync();
            await run;
        }
    }

    [Fact]
    public async Task RunAsync_LeaderDiesAndTheElectionTakesAWhile_ServesTheLastSnapshotThenFollowsTheElectedMaster()
    {
        await using var a = await FakeHaMaster.StartAsync();
        await using var b = await FakeHaMaster.StartAsync();
        using var killA = new CancellationTokenSource();
        a.Serve = Stream("198.18.0.1", "app-on-a", killA.Token);
        b.RedirectTo = a.Authority;
        b.Serve = Stream("198.18.0.2", "app-on-b", CancellationToken.None);
        var fixture = new PipelineFixture();
        using var source = new MasterStreamSource([a.BaseUrl, b.BaseUrl], fixture.Pipeline, TimeSpan.FromSeconds(30), handler: null,
            leaderOptions: new LeaderLocatorOptions { MinBackoff = TimeSpan.FromMilliseconds(20), MaxBackoff = TimeSpan.FromMilliseconds(250) });
        using var stop = new CancellationTokenSource();
        var run = Task.Run(() => source.RunAsync(stop.Token));
        try
        {
            Assert.True(await source.WaitForFirstSnapshotAsync(TimeSpan.FromSeconds(10), CancellationToken.None));
            var last = fixture.Store.Current;

            // a dies: its connection drops and every master knows no leader for a while.
            a.NoLeader = b.NoLeader = true;
            b.RedirectTo = null;
            await killA.CancelAsync();
            Assert.True(await PipelineFixture.EventuallyAsync(() => !fixture.Health.Connected));
            int probes = b.RedirectProbes;
            Assert.True(await PipelineFixture.EventuallyAsync(() => b.RedirectProbes >= probes + 3), "the source stopped looking for a leader");
            Assert.Same(last, fixture.Store.Current); // DNS and VIPs keep serving the last snapshot
            Assert.Equal("198.18.0.1", LeaderA(fixture));

            // b is elected.
            b.NoLeader = false;
            a.NoLeader = false;
            a.RedirectTo = b.Authority;
            var clock = Stopwatch.StartNew();
            Assert.True(await PipelineFixture.EventuallyAsync(() => LeaderA(fixture) == "198.18.0.2", timeoutMs: 20_000), "leader.mesos never named b");
            Assert.True(clock.Elapsed < BeforeTheStreamTimeout, $"leader.mesos followed after {clock.Elapsed.TotalMilliseconds:0} ms");
            Assert.True(fixture.Health.Connected);
            Assert.Equal(b.BaseUrl, source.Following);
        }
        finally
        {
            await stop.CancelAsync();
            await run;
        }
    }

    private static string? LeaderA(PipelineFixture fixture) =>
        fixture.Store.Current?.Records.Names.TryGetValue("leader.mesos", out var records) == true ? records.A.Single().ToString() : null;

    /// <summary>A leader's push stream: a snapshot naming <paramref name="leaderIp"/> as leader with one task, then silence until killed.</summary>
    private static Func<HttpContext, Task> Stream(string leaderIp, string app, CancellationToken kill) => async context =>
    {
        if (context.Request.Path != "/master/endpoints/stream")
        {
            context.Response.StatusCode = 404;
            return;
        }

        context.Response.ContentType = "application/x-ndjson";
        string line = "{\"type\":\"snapshot\",\"version\":10,\"state\":{\"leader\":\"master@" + leaderIp + ":5050\",\"slaves\":[{\"id\":\"S0\",\"hostname\":\"a0\",\"pid\":\"slave(1)@127.0.0.1:5051\"}],"
            + "\"frameworks\":[{\"id\":\"F1\",\"name\":\"marathon\",\"tasks\":[{\"id\":\"" + app + ".1\",\"name\":\"" + app + "\",\"framework_id\":\"F1\",\"slave_id\":\"S0\",\"state\":\"TASK_RUNNING\",\"statuses\":[]}]}]}}\n";
        await context.Response.WriteAsync(line);
        await context.Response.Body.FlushAsync();
        using var both = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, kill);
        try
        {
            await Task.Delay(Timeout.Infinite, both.Token);
        }
        catch (OperationCanceledException)
        {
            context.Abort(); // a killed master: the connection is reset, not closed politely
        }
    };
}
