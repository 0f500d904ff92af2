using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Tests.Master;
using Minuet.TestSupport;
using static Minuet.ControlPlane.Tests.Ha.EtcdTestKit;

namespace Minuet.ControlPlane.Tests.Ha;

[Collection(EtcdClusterGroup.Name)]
public sealed class MasterFailoverTests
{
    private readonly EtcdCluster _cluster;

    public MasterFailoverTests(EtcdCluster cluster)
    {
        _cluster = cluster;
        _cluster.Clear();
    }

    [EtcdFact]
    public async Task Standby_StateNamesTheLeader_RedirectAnd307OnEveryOtherRoute()
    {
        await using var m1 = await HaMaster.StartAsync(_cluster);
        await WaitAsync(() => m1.IsLeader, TimeSpan.FromSeconds(5), "m1 to lead");
        await using var m2 = await HaMaster.StartAsync(_cluster);
        await WaitAsync(() => m2.Leadership!.Leader is not null, TimeSpan.FromSeconds(5), "m2 to see the leader");
        using var h1 = HaMaster.Client(m1);
        using var h2 = HaMaster.Client(m2);
        int p1 = m1.Master.Options.Port;

        var follower = JsonDocument.Parse(await h2.GetStringAsync("/master/state")).RootElement;
        Assert.Equal($"master@127.0.0.1:{p1}", follower.GetProperty("leader").GetString());
        Assert.Equal(m1.Master.MasterId, follower.GetProperty("leader_info").GetProperty("id").GetString());
        Assert.Equal("127.0.0.1", follower.GetProperty("leader_info").GetProperty("ip").GetString());
        Assert.Equal(p1, follower.GetProperty("leader_info").GetProperty("port").GetInt32());
        Assert.False(follower.TryGetProperty("elected_time", out _));
        Assert.Equal(0, follower.GetProperty("slaves").GetArrayLength());
        var leaderState = JsonDocument.Parse(await h1.GetStringAsync("/state.json")).RootElement;
        Assert.True(leaderState.TryGetProperty("elected_time", out _));
        Assert.Equal($"master@127.0.0.1:{p1}", leaderState.GetProperty("leader").GetString());

        foreach (var client in new[] { h1, h2 })
        {
            using var redirect = await client.GetAsync("/master/redirect");
            Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
            Assert.Equal($"//127.0.0.1:{p1}", redirect.Headers.Location!.OriginalString);
        }

        using var register = await h2.PostAsJsonAsync(ProtocolRoutes.Register, new RegisterAgentRequest
        {
            Hostname = "a", Address = "127.0.0.1", Port = 1, Resources = new ResourceSet { Cpus = 1 },
        }, ProtocolJsonContext.Default.RegisterAgentRequest);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, register.StatusCode);
        Assert.Equal($"//127.0.0.1:{p1}{ProtocolRoutes.Register}", register.Headers.Location!.OriginalString);
        using var stream = await h2.GetAsync("/master/endpoints/stream?since=12", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal($"//127.0.0.1:{p1}/master/endpoints/stream?since=12", stream.Headers.Location!.OriginalString);
        using var anyRoute = await h2.PostAsync("/master/api/v1/scheduler/some/route/added/later", new StringContent("{}"));
        Assert.Equal(HttpStatusCode.TemporaryRedirect, anyRoute.StatusCode);

        using var health = await h2.GetAsync("/health");
        Assert.Equal("standby", health.Headers.GetValues("X-Minuet-Role").Single());
        Assert.Contains("\"role\":\"standby\"", await health.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        using var leaderHealth = await h1.GetAsync("/health");
        Assert.Equal("leader", leaderHealth.Headers.GetValues("X-Minuet-Role").Single());
    }

    [EtcdFact]
    public async Task Standby_LeaderUnknown_Answers503NoLeaderAndRedirect503()
    {
        // The key is held by something that is not a master this one can follow (no usable address).
        using var etcd = _cluster.Connect();
        await using var holder = Candidate(etcd, global::Minuet.ControlPlane.Coordination.LeaderElectionOptions.MasterKey, "not a master's leader document", TimeSpan.FromSeconds(5));
        holder.Start();
        await WaitAsync(() => holder.IsLeader, TimeSpan.FromSeconds(5), "the holder to take the key");
        await using var m1 = await HaMaster.StartAsync(_cluster);
        await WaitAsync(() => m1.Leadership!.Election.LeaderValue is not null, TimeSpan.FromSeconds(5), "m1 to see the key");
        using var h1 = HaMaster.Client(m1);

        using var response = await h1.PostAsync(ProtocolRoutes.Register, new StringContent("{}"));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal("no_leader", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("code").GetString());
        using var redirect = await h1.GetAsync("/master/redirect");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, redirect.StatusCode);
        Assert.False(m1.IsLeader);
    }

    [EtcdFact]
    public async Task Redirect_WaitingUnlessTheDeadLeader_AnswersWithTheNextLeaderOnceItLeads()
    {
        var m1 = await HaMaster.StartAsync(_cluster);
        await WaitAsync(() => m1.IsLeader, TimeSpan.FromSeconds(5), "m1 to lead");
        await using var m2 = await HaMaster.StartAsync(_cluster);
        await WaitAsync(() => m2.Leadership!.Leader is not null, TimeSpan.FromSeconds(5), "m2 to see the leader");
        using var h2 = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { BaseAddress = m2.BaseAddress, Timeout = TimeSpan.FromSeconds(60) };
        int p1 = m1.Master.Options.Port, p2 = m2.Master.Options.Port;

        using var bad = await h2.GetAsync("/master/redirect?wait_secs=forever");
        Assert.Equal(HttpStatusCode.UnprocessableEntity, bad.StatusCode);
        Assert.Contains("wait_secs", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // m1 dies without resigning: m2 names it until its lease runs out, so an answer given at once would name m1.
        var waiting = h2.GetAsync($"/master/redirect?wait_secs=30&unless=127.0.0.1:{p1}");
        await m1.DisposeWithoutResignAsync();

        using var answer = await waiting.WaitAsync(TimeSpan.FromSeconds(50));
        Assert.Equal(HttpStatusCode.TemporaryRedirect, answer.StatusCode);
        Assert.Equal($"//127.0.0.1:{p2}", answer.Headers.Location!.OriginalString);
        Assert.True(m2.IsLeader);
    }

    [EtcdFact]
    public async Task Locator_LeaderDies_FindsTheNextOneByWaitingOnAStandbyNotByPolling()
    {
        var m1 = await HaMaster.StartAsync(_cluster);
        await WaitAsync(() => m1.IsLeader, TimeSpan.FromSeconds(5), "m1 to lead");
        await using var m2 = await HaMaster.StartAsync(_cluster);
        await WaitAsync(() => m2.Leadership!.Leader is not null, TimeSpan.FromSeconds(5), "m2 to see the leader");

        // A backoff far longer than the test's wait: only the standby's held answer can bring the new leader in time.
        var options = new global::Minuet.Coordination.LeaderLocatorOptions
        {
            MinBackoff = TimeSpan.FromMinutes(2), MaxBackoff = TimeSpan.FromMinutes(2), ElectionWait = TimeSpan.FromSeconds(30),
        };
        using var locator = new global::Minuet.Coordination.LeaderLocator([m1.BaseAddress, m2.BaseAddress], options);
        Assert.Equal(m1.BaseAddress, await locator.FindAsync(null, CancellationToken.None));

        await m1.DisposeWithoutResignAsync();
        locator.Lost(m1.BaseAddress);
        var misses = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var find = locator.FindAsync(misses.Enqueue, CancellationToken.None);
        var first = await System.Threading.Tasks.Task.WhenAny(find, System.Threading.Tasks.Task.Delay(TimeSpan.FromSeconds(60)));

        Assert.True(first == find, "no leader found; passes missed: " + string.Join(" | ", misses));
        Assert.Equal(m2.BaseAddress, await find);
        Assert.True(m2.IsLeader);
    }

    [EtcdFact]
    public async Task LeaderKilled_OtherMasterLeadsWithTheTasks_AgentReregistersKeepingThem()
    {
        await using var agent = await RecordingAgent.StartAsync();
        var m1 = await HaMaster.StartAsync(_cluster);
        await WaitAsync(() => m1.IsLeader, TimeSpan.FromSeconds(5), "m1 to lead");
        await using var m2 = await HaMaster.StartAsync(_cluster);
        var (agentId, running) = await RunTaskAsync(m1, agent, "web.1");

        await m1.DisposeWithoutResignAsync();
        await WaitAsync(() => m2.IsLeader, 2 * Ttl + TimeSpan.FromSeconds(1), "m2 to lead after m1 died");

        var rebuilt = m2.Master.Read(m => (m.Tasks["web.1"].State, m.Agents[agentId].Status));
        Assert.Equal((TaskState.Running, AgentStatus.Recovered), rebuilt);

        using var h2 = HaMaster.Client(m2);
        var again = await agent.RegisterAsync(h2, agentId, [new ReportedTask { Launch = agent.Launches[0], LatestStatus = running }]);
        Assert.Equal(agentId, again);
        Assert.Equal((TaskState.Running, AgentStatus.Active), m2.Master.Read(m => (m.Tasks["web.1"].State, m.Agents[agentId].Status)));
        Assert.Empty(agent.Kills);
        Assert.Equal(1, agent.LaunchCount);
        var state = JsonDocument.Parse(await h2.GetStringAsync("/master/state")).RootElement;
        Assert.Equal("web.1", state.GetProperty("frameworks")[0].GetProperty("tasks")[0].GetProperty("id").GetString());
    }

    [EtcdFact]
    public async Task PausedLeader_PastItsLease_StopsActingAndWritesNothing()
    {
        await using var agent = await RecordingAgent.StartAsync();
        await using var m1 = await HaMaster.StartAsync(_cluster);
        await WaitAsync(() => m1.IsLeader, TimeSpan.FromSeconds(5), "m1 to lead");
        await using var m2 = await HaMaster.StartAsync(_cluster);
        await RunTaskAsync(m1, agent, "web.1");

        m1.Leadership!.Election.PauseKeepalives(true);
        await WaitAsync(() => m2.IsLeader, TimeSpan.FromSeconds(8), "m2 to lead while m1 is paused"); // see LeaderElectionTests on lease extension
        Assert.False(m1.IsLeader);
        await WaitAsync(() => m1.Master.IsStandby, TimeSpan.FromSeconds(2), "m1 to step down");

        // A call that reaches m1's core anyway (as one in flight at the pause would) is refused by the store fence.
        var (_, error) = m1.Master.RegisterAgent(agent.Registration());
        Assert.Equal(503, error?.Status);
        m1.Leadership.Election.PauseKeepalives(false);
        using var h1 = HaMaster.Client(m1);
        using var redirected = await h1.PostAsJsonAsync(ProtocolRoutes.Register, agent.Registration(), ProtocolJsonContext.Default.RegisterAgentRequest);
        Assert.Equal(HttpStatusCode.TemporaryRedirect, redirected.StatusCode);
        Assert.Equal(1, m2.Master.Read(m => m.Agents.Count)); // only the agent registered under m1's term, none from after it
        Assert.Equal(1, agent.LaunchCount);
    }

    [EtcdFact]
    public async Task TwoEtcdMembersDown_LeaderStopsActing_ResumesWhenOneReturns()
    {
        await using var m1 = await HaMaster.StartAsync(_cluster);
        await WaitAsync(() => m1.IsLeader, TimeSpan.FromSeconds(5), "m1 to lead");
        try
        {
            _cluster.Stop(1);
            _cluster.Stop(2);
            await WaitAsync(() => !m1.IsLeader, 3 * Ttl + TimeSpan.FromSeconds(2), "m1 to stop leading without quorum");
            await WaitAsync(() => m1.Master.IsStandby, TimeSpan.FromSeconds(3), "m1's core to stand by");
            _cluster.Start(1);
            await WaitAsync(() => m1.IsLeader, TimeSpan.FromSeconds(20), "m1 to lead again once quorum is back");
        }
        finally
        {
            _cluster.Start(1);
            _cluster.Start(2);
            _cluster.WaitHealthy(TimeSpan.FromSeconds(20));
        }
    }

    /// <summary>On <paramref name="leader"/>: the agent registers, a framework accepts an offer for one task, the task runs.</summary>
    private static async Task<(string AgentId, TaskStatusUpdate Running)> RunTaskAsync(MasterHost leader, RecordingAgent agent, string taskId)
    {
        using var http = HaMaster.Client(leader);
        var agentId = await agent.RegisterAsync(http);
        var (connection, error) = leader.Master.Subscribe(new SubscribeRequest { Name = "marathon", Role = "*", Hostname = "127.0.0.1" });
        Assert.Null(error);
        string? framework = null;
        OfferInfo? offer = null;
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (offer is null)
        {
            var e = await connection!.Events.ReadAsync(deadline.Token);
            framework = e.Subscribed?.FrameworkId ?? framework;
            offer = e.Offers is { Count: > 0 } offers ? offers[0] : null;
        }

        Assert.Null(leader.Master.Accept(framework!, new AcceptRequest { OfferIds = [offer.Id], Tasks = [TestMaster.Task(taskId, port: new PortRange(31000, 31000))] }));
        await WaitAsync(() => agent.LaunchCount == 1, TimeSpan.FromSeconds(5), "the launch to reach the agent");
        var running = new TaskStatusUpdate
        {
            Uuid = Guid.NewGuid().ToString(),
            TaskId = taskId,
            FrameworkId = framework!,
            AgentId = agentId,
            State = "TASK_RUNNING",
            Timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() / 1000.0,
        };
        using var status = await http.PostAsJsonAsync(ProtocolRoutes.StatusTemplate.Replace("{agentId}", agentId, StringComparison.Ordinal), running, ProtocolJsonContext.Default.TaskStatusUpdate);
        Assert.Equal(HttpStatusCode.OK, status.StatusCode);
        return (agentId, running);
    }
}
