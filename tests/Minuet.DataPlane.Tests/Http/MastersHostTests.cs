using System.Net;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Minuet.DataPlane.Host;
using Minuet.DataPlane.Sources;
using Minuet.DataPlane.Tests.Sources;

namespace Minuet.DataPlane.Tests.Http;

/// <summary><c>--masters</c> end to end: fake masters on 127.0.0.1, one of them leading.</summary>
public sealed class MastersHostTests
{
    private const string LeaderOnlyName = "liquor-store.marathon.mesos";

    [Fact]
    public async Task StartAsync_FirstMasterIsAFollower_ReadsTheLeaderItNamesAndFailsOverWhenItDies()
    {
        await using var follower = await FakeMaster.StartAsync();
        var leader = await FakeMaster.StartAsync();
        try
        {
            // A follower's state has no frameworks (as in Mesos); using it would lose every task name.
            follower.Document = () => FakeMaster.State(StateFixtures.Current, follower.Pid, leader.Pid, s => s["frameworks"] = new JsonArray());
            leader.Document = () => FakeMaster.State(StateFixtures.Current, leader.Pid, leader.Pid);

            await using var host = await StartHostAsync(follower.Address, leader.Address);
            var source = Assert.IsType<MasterListSource>(host.Source);
            Assert.Equal(leader.Address, source.Leader);
            Assert.True(host.Store.Current!.Records.Names.ContainsKey(LeaderOnlyName));
            Assert.Equal(["127.0.0.1"], host.Store.Current.Records.Names["leader.mesos"].A.Select(ip => ip.ToString()));
            Assert.True(follower.Requests >= 1, "the first listed master was never asked");
            Assert.Equal("127.0.0.1", Assert.Single(host.Store.Current.Records.Names["master0.mesos"].A).ToString());

            // The leader dies; the follower still names it: no leader answers, the last good snapshot stays.
            await leader.DisposeAsync();
            var good = host.Store.Current;
            long errors = host.Health.Errors.WithLabels("fetch").Value;
            Assert.True(await PipelineFixture.EventuallyAsync(() => host.Health.Errors.WithLabels("fetch").Value > errors));
            Assert.Same(good, host.Store.Current);
            Assert.Contains("no leading master answered", host.Health.LastError!.Reason, StringComparison.Ordinal);

            // The follower is elected: its state now leads and carries a task the old leader never had.
            follower.Document = () => FakeMaster.State(StateFixtures.Current, follower.Pid, follower.Pid, RenameCarStore);
            Assert.True(await PipelineFixture.EventuallyAsync(() => host.Store.Current!.Records.Names.ContainsKey("failover-app.marathon.mesos")));
            Assert.Equal(follower.Address, source.Leader);
        }
        finally
        {
            await leader.DisposeAsync();
        }
    }

    [Fact]
    public async Task StartAsync_MasterRedirectsToTheLeader_FollowsTheRedirect()
    {
        await using var follower = await FakeMaster.StartAsync();
        await using var leader = await FakeMaster.StartAsync();
        follower.RedirectTo = leader.Address;
        leader.Document = () => FakeMaster.State(StateFixtures.Current, leader.Pid, leader.Pid);

        // Only the follower is listed: the leader is reached through its redirect alone.
        await using var host = await StartHostAsync(follower.Address);
        Assert.Equal(leader.Address, ((MasterListSource)host.Source).Leader);
        Assert.True(host.Store.Current!.Records.Names.ContainsKey(LeaderOnlyName));
    }

    [Fact]
    public async Task FetchOnce_OnlyFollowersAnswer_KeepsNoFollowerState()
    {
        await using var a = await FakeMaster.StartAsync();
        await using var b = await FakeMaster.StartAsync();
        // Each names the other: nobody leads itself.
        a.Document = () => FakeMaster.State(StateFixtures.Current, a.Pid, b.Pid);
        b.Document = () => FakeMaster.State(StateFixtures.Current, b.Pid, a.Pid);

        await using var host = await StartHostAsync(a.Address, b.Address);
        Assert.Null(host.Store.Current);
        Assert.Null(((MasterListSource)host.Source).Leader);
        Assert.Contains("does not lead either", host.Health.LastError!.Reason, StringComparison.Ordinal);
    }

    private static void RenameCarStore(JsonNode state)
    {
        var task = state["frameworks"]!.AsArray().SelectMany(f => f!["tasks"]!.AsArray()).Single(t => (string?)t!["name"] == "car.store")!;
        task["name"] = "failover-app";
    }

    private static Task<DataPlaneHost> StartHostAsync(params string[] masters) => DataPlaneHost.StartAsync(
        new DataPlaneOptions
        {
            Masters = masters,
            Refresh = TimeSpan.FromMilliseconds(100),
            StateTimeout = TimeSpan.FromSeconds(2),
            HttpListen = new IPEndPoint(IPAddress.Loopback, 0),
            DnsEnabled = false,
            L4lb = false,
        },
        new DataPlaneHostServices { LoggerFactory = NullLoggerFactory.Instance });
}
