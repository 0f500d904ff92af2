using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Tests.Api.V1;

/// <summary>
/// A framework written here against Mesos's documented v1 API only (plain HttpClient, JSON by hand, RecordIO by
/// hand) drives a real master with a fake agent: subscribe, offer, launch, updates, acks, kill, reconcile,
/// failover within and past its failover_timeout.
/// </summary>
public class V1SchedulerFrameworkTests
{
    [Fact]
    public async Task Framework_SubscribeLaunchUpdatesAckKillReconcile_EndToEnd()
    {
        await using var f = await MasterHttpFixture.StartAsync();
        var agent = await f.RegisterAgentAsync();
        using var events = await V1EventStream.SubscribeAsync(f.Http,
            """{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"foo","name":"fw","failover_timeout":60,"capabilities":[{"type":"PARTITION_AWARE"}]}}}""");
        Assert.Equal("application/json", events.Response.Content.Headers.ContentType!.ToString());
        Assert.True(Guid.TryParse(events.StreamId, out _));

        var subscribed = await events.NextAsync();
        Assert.Equal("SUBSCRIBED", subscribed.GetProperty("type").GetString());
        string framework = subscribed.GetProperty("subscribed").GetProperty("framework_id").GetProperty("value").GetString()!;
        Assert.Equal(15, subscribed.GetProperty("subscribed").GetProperty("heartbeat_interval_seconds").GetDouble());
        Assert.Equal("HEARTBEAT", (await events.NextAsync()).GetProperty("type").GetString());

        var offer = (await events.NextAsync("OFFERS")).GetProperty("offers").GetProperty("offers")[0];
        Assert.Equal(agent, offer.GetProperty("agent_id").GetProperty("value").GetString());
        Assert.Equal("127.0.0.1", offer.GetProperty("url").GetProperty("address").GetProperty("ip").GetString());
        var cpus = offer.GetProperty("resources").EnumerateArray().Single(r => r.GetProperty("name").GetString() == "cpus");
        Assert.Equal(2, cpus.GetProperty("scalar").GetProperty("value").GetDouble());
        Assert.Equal("*", cpus.GetProperty("role").GetString());

        string offerId = offer.GetProperty("id").GetProperty("value").GetString()!;
        using (var accept = await CallAsync(f, events.StreamId, $$$$"""
            {"type":"ACCEPT","framework_id":{"value":"{{{{framework}}}}"},"accept":{"offer_ids":[{"value":"{{{{offerId}}}}"}],
             "operations":[{"type":"LAUNCH","launch":{"task_infos":[
               {"name":"one","task_id":{"value":"t1"},"agent_id":{"value":"{{{{agent}}}}"},"command":{"value":"true"},
                "resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.5}},{"name":"mem","type":"SCALAR","scalar":{"value":64}}]},
               {"name":"two","task_id":{"value":"t2"},"agent_id":{"value":"{{{{agent}}}}"},"command":{"value":"sleep 100","environment":{"variables":[{"name":"A","value":"b"}]}},
                "resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.5}},{"name":"ports","type":"RANGES","ranges":{"range":[{"begin":31000,"end":31000}]}}],
                "labels":{"labels":[{"key":"k","value":"v"}]},"kill_policy":{"grace_period":{"nanoseconds":2000000000}}}]}}],
             "filters":{"refuse_seconds":1}}}
            """))
        {
            Assert.Equal(HttpStatusCode.Accepted, accept.StatusCode);
        }

        await WaitAsync(() => f.Launches.Count == 2);
        var two = f.Launches.Single(l => l.TaskId == "t2");
        Assert.Equal("sleep 100", two.Command.Value);
        Assert.Equal("b", two.Command.Environment["A"]);
        Assert.Equal([new PortRange(31000, 31000)], two.Resources.Ports);
        Assert.Equal(2, two.KillGracePeriodSeconds);
        Assert.Equal("v", Assert.Single(two.Labels).Value);

        foreach (var (task, state) in new[] { ("t1", "TASK_RUNNING"), ("t1", "TASK_FINISHED"), ("t2", "TASK_RUNNING") })
        {
            await ReportAsync(f, agent, framework, task, state);
            var update = (await events.NextAsync("UPDATE")).GetProperty("update").GetProperty("status");
            Assert.Equal(task, update.GetProperty("task_id").GetProperty("value").GetString());
            Assert.Equal(state, update.GetProperty("state").GetString());
            Assert.Equal(agent, update.GetProperty("agent_id").GetProperty("value").GetString());
            string uuid = update.GetProperty("uuid").GetString()!;
            Assert.Equal(16, Convert.FromBase64String(uuid).Length);
            using var ack = await CallAsync(f, events.StreamId, $$$$"""
                {"type":"ACKNOWLEDGE","framework_id":{"value":"{{{{framework}}}}"},"acknowledge":{"agent_id":{"value":"{{{{agent}}}}"},"task_id":{"value":"{{{{task}}}}"},"uuid":"{{{{uuid}}}}"}}
                """);
            Assert.Equal(HttpStatusCode.Accepted, ack.StatusCode);
        }

        // Acknowledged and terminal: the master holds nothing more for t1.
        await WaitAsync(() => f.Master.Master.Read(m => m.Frameworks[framework].PendingUpdates.Count == 0));

        using (var kill = await CallAsync(f, events.StreamId, $$$$"""{"type":"KILL","framework_id":{"value":"{{{{framework}}}}"},"kill":{"task_id":{"value":"t2"}}}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, kill.StatusCode);
        }

        await WaitAsync(() => f.Kills.Contains("t2"));

        using (var reconcile = await CallAsync(f, events.StreamId, $$$$"""
            {"type":"RECONCILE","framework_id":{"value":"{{{{framework}}}}"},"reconcile":{"tasks":[{"task_id":{"value":"t2"}},{"task_id":{"value":"ghost"}}]}}
            """))
        {
            Assert.Equal(HttpStatusCode.Accepted, reconcile.StatusCode);
        }

        var known = (await events.NextAsync("UPDATE")).GetProperty("update").GetProperty("status");
        Assert.Equal("t2", known.GetProperty("task_id").GetProperty("value").GetString());
        Assert.Equal("TASK_RUNNING", known.GetProperty("state").GetString());
        Assert.Equal("REASON_RECONCILIATION", known.GetProperty("reason").GetString());
        Assert.False(known.TryGetProperty("uuid", out _));
        var ghost = (await events.NextAsync("UPDATE")).GetProperty("update").GetProperty("status");
        Assert.Equal("TASK_UNKNOWN", ghost.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Framework_NotPartitionAware_GetsTaskLostForUnknownTasks()
    {
        await using var f = await MasterHttpFixture.StartAsync();
        using var events = await V1EventStream.SubscribeAsync(f.Http, """{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"fw"}}}""");
        string framework = (await events.NextAsync("SUBSCRIBED")).GetProperty("subscribed").GetProperty("framework_id").GetProperty("value").GetString()!;

        // A KILL of a task the master does not know is answered by reconciliation, as Mesos does.
        using var kill = await CallAsync(f, events.StreamId, $$$$"""{"type":"KILL","framework_id":{"value":"{{{{framework}}}}"},"kill":{"task_id":{"value":"nope"}}}""");
        Assert.Equal(HttpStatusCode.Accepted, kill.StatusCode);
        var status = (await events.NextAsync("UPDATE")).GetProperty("update").GetProperty("status");
        Assert.Equal("nope", status.GetProperty("task_id").GetProperty("value").GetString());
        Assert.Equal("TASK_LOST", status.GetProperty("state").GetString());
    }

    [Fact]
    public async Task Framework_DisconnectsAndReturnsWithinFailoverTimeout_KeepsTasksThenPastItIsRemoved()
    {
        await using var f = await MasterHttpFixture.StartAsync();
        var agent = await f.RegisterAgentAsync();
        string framework;
        string oldStream;
        using (var events = await V1EventStream.SubscribeAsync(f.Http,
            """{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"fw","failover_timeout":600,"checkpoint":true}}}"""))
        {
            framework = (await events.NextAsync("SUBSCRIBED")).GetProperty("subscribed").GetProperty("framework_id").GetProperty("value").GetString()!;
            oldStream = events.StreamId;
            var offer = (await events.NextAsync("OFFERS")).GetProperty("offers").GetProperty("offers")[0].GetProperty("id").GetProperty("value").GetString();
            using var accept = await CallAsync(f, events.StreamId, $$$$"""
                {"type":"ACCEPT","framework_id":{"value":"{{{{framework}}}}"},"accept":{"offer_ids":[{"value":"{{{{offer}}}}"}],"operations":[{"type":"LAUNCH","launch":{"task_infos":[
                  {"name":"s","task_id":{"value":"keep"},"agent_id":{"value":"{{{{agent}}}}"},"command":{"value":"sleep 100"},"resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.1}}]}]}}]}}
                """);
            Assert.Equal(HttpStatusCode.Accepted, accept.StatusCode);
            await WaitAsync(() => f.Launches.Count == 1);
        }

        // Disconnected: calls are refused until it subscribes again; its task keeps running.
        await WaitAsync(() => !f.Master.Master.Read(m => m.Frameworks[framework].Connected));
        using (var refused = await CallAsync(f, oldStream, $$$$"""{"type":"REVIVE","framework_id":{"value":"{{{{framework}}}}"}}"""))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            Assert.Equal("Framework is not subscribed", await refused.Content.ReadAsStringAsync());
        }

        // Back within the timeout, with a shorter one for next time.
        using (var again = await V1EventStream.SubscribeAsync(f.Http, $$$$"""
            {"type":"SUBSCRIBE","framework_id":{"value":"{{{{framework}}}}"},"subscribe":{"framework_info":{"user":"u","name":"fw","id":{"value":"{{{{framework}}}}"},"failover_timeout":0.5}}}
            """))
        {
            Assert.Equal(framework, (await again.NextAsync("SUBSCRIBED")).GetProperty("subscribed").GetProperty("framework_id").GetProperty("value").GetString());
            Assert.NotEqual(oldStream, again.StreamId);
            using var stale = await CallAsync(f, oldStream, $$$$"""{"type":"REVIVE","framework_id":{"value":"{{{{framework}}}}"}}""");
            Assert.Equal(HttpStatusCode.BadRequest, stale.StatusCode);
            Assert.Contains("didn't match the stream ID", await stale.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.True(f.Master.Master.Read(m => m.Tasks.ContainsKey("keep")));
        }

        // Gone for longer than 0.5 s: removed, its task killed, and a later SUBSCRIBE told so.
        await WaitAsync(() => f.Master.Master.Read(m => !m.Frameworks.ContainsKey(framework)));
        await WaitAsync(() => f.Kills.Contains("keep"));
        using var removed = await V1EventStream.SubscribeAsync(f.Http, $$$$"""
            {"type":"SUBSCRIBE","framework_id":{"value":"{{{{framework}}}}"},"subscribe":{"framework_info":{"user":"u","name":"fw","id":{"value":"{{{{framework}}}}"}}} }
            """);
        var error = await removed.NextAsync();
        Assert.Equal("ERROR", error.GetProperty("type").GetString());
        Assert.Equal("Framework has been removed", error.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public async Task Subscribe_SameFrameworkWhileConnected_OldStreamGetsErrorAndEnds()
    {
        await using var f = await MasterHttpFixture.StartAsync();
        using var first = await V1EventStream.SubscribeAsync(f.Http, """{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"fw","failover_timeout":60}}}""");
        string framework = (await first.NextAsync("SUBSCRIBED")).GetProperty("subscribed").GetProperty("framework_id").GetProperty("value").GetString()!;

        using var second = await V1EventStream.SubscribeAsync(f.Http, $$$$"""
            {"type":"SUBSCRIBE","framework_id":{"value":"{{{{framework}}}}"},"subscribe":{"framework_info":{"user":"u","name":"fw","id":{"value":"{{{{framework}}}}"},"failover_timeout":60}}}
            """);
        Assert.Equal("SUBSCRIBED", (await second.NextAsync()).GetProperty("type").GetString());
        var error = await first.NextAsync("ERROR");
        Assert.Equal("Framework failed over", error.GetProperty("error").GetProperty("message").GetString());
        Assert.True(await first.EndsAsync());

        // The new stream is the framework's: calls with its id work.
        using var revive = await CallAsync(f, second.StreamId, $$$$"""{"type":"REVIVE","framework_id":{"value":"{{{{framework}}}}"}}""");
        Assert.Equal(HttpStatusCode.Accepted, revive.StatusCode);
        Assert.True(f.Master.Master.Read(m => m.Frameworks[framework].Connected));
    }

    [Fact]
    public async Task Accept_UnknownOfferAndInvalidTask_AcceptedWithUpdatesAsMesosDoes()
    {
        await using var f = await MasterHttpFixture.StartAsync();
        var agent = await f.RegisterAgentAsync();
        using var events = await V1EventStream.SubscribeAsync(f.Http, """{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"fw"}}}""");
        string framework = (await events.NextAsync("SUBSCRIBED")).GetProperty("subscribed").GetProperty("framework_id").GetProperty("value").GetString()!;
        var offer = (await events.NextAsync("OFFERS")).GetProperty("offers").GetProperty("offers")[0].GetProperty("id").GetProperty("value").GetString();

        using (var bogus = await CallAsync(f, events.StreamId, $$$$"""
            {"type":"ACCEPT","framework_id":{"value":"{{{{framework}}}}"},"accept":{"offer_ids":[{"value":"no-such-offer"}],"operations":[{"type":"LAUNCH","launch":{"task_infos":[
              {"name":"x","task_id":{"value":"x"},"agent_id":{"value":"{{{{agent}}}}"},"command":{"value":"true"},"resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.1}}]}]}}]}}
            """))
        {
            Assert.Equal(HttpStatusCode.Accepted, bogus.StatusCode);
        }

        var lost = (await events.NextAsync("UPDATE")).GetProperty("update").GetProperty("status");
        Assert.Equal("TASK_LOST", lost.GetProperty("state").GetString());
        Assert.Equal("REASON_INVALID_OFFERS", lost.GetProperty("reason").GetString());

        using (var invalid = await CallAsync(f, events.StreamId, $$$$"""
            {"type":"ACCEPT","framework_id":{"value":"{{{{framework}}}}"},"accept":{"offer_ids":[{"value":"{{{{offer}}}}"}],"operations":[{"type":"LAUNCH","launch":{"task_infos":[
              {"name":"y","task_id":{"value":"y"},"agent_id":{"value":"{{{{agent}}}}"},"command":{"value":"true"},"resources":[{"name":"bananas","type":"SCALAR","scalar":{"value":1}}]}]}}]}}
            """))
        {
            Assert.Equal(HttpStatusCode.Accepted, invalid.StatusCode);
        }

        var error = (await events.NextAsync("UPDATE")).GetProperty("update").GetProperty("status");
        Assert.Equal("y", error.GetProperty("task_id").GetProperty("value").GetString());
        Assert.Equal("TASK_ERROR", error.GetProperty("state").GetString());
        Assert.Contains("/resources/0/name resource 'bananas'", error.GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Empty(f.Launches);
    }

    [Fact]
    public async Task AcceptLaunchGroup_DefaultExecutor_LaunchesEveryTaskAndOneFailureKillsTheRest()
    {
        await using var f = await MasterHttpFixture.StartAsync();
        var agent = await f.RegisterAgentAsync();
        using var events = await V1EventStream.SubscribeAsync(f.Http, """{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"fw"}}}""");
        string framework = (await events.NextAsync("SUBSCRIBED")).GetProperty("subscribed").GetProperty("framework_id").GetProperty("value").GetString()!;
        var offer = (await events.NextAsync("OFFERS")).GetProperty("offers").GetProperty("offers")[0].GetProperty("id").GetProperty("value").GetString();
        string Task(string id) => $$$$"""
            {"name":"{{{{id}}}}","task_id":{"value":"{{{{id}}}}"},"agent_id":{"value":"{{{{agent}}}}"},"command":{"value":"sleep 100"},
             "resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.1}},{"name":"mem","type":"SCALAR","scalar":{"value":32}}]}
            """;

        using (var accept = await CallAsync(f, events.StreamId, $$$$"""
            {"type":"ACCEPT","framework_id":{"value":"{{{{framework}}}}"},"accept":{"offer_ids":[{"value":"{{{{offer}}}}"}],"operations":[{"type":"LAUNCH_GROUP","launch_group":{
              "executor":{"type":"DEFAULT","executor_id":{"value":"pod-1"},"resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.1}}]},
              "task_group":{"tasks":[{{{{Task("g1")}}}},{{{{Task("g2")}}}}]}}}]}}
            """))
        {
            Assert.Equal(HttpStatusCode.Accepted, accept.StatusCode);
        }

        await WaitAsync(() => f.Launches.Count == 2);
        Assert.All(f.Launches, l => Assert.Equal("pod-1", l.TaskGroupExecutorId));
        Assert.All(f.Launches, l => Assert.Null(l.Executor));

        await ReportAsync(f, agent, framework, "g1", "TASK_FAILED");
        var failed = (await events.NextAsync("UPDATE")).GetProperty("update").GetProperty("status");
        Assert.Equal("g1", failed.GetProperty("task_id").GetProperty("value").GetString());
        Assert.Equal("pod-1", failed.GetProperty("executor_id").GetProperty("value").GetString());
        await WaitAsync(() => f.Kills.Contains("g2"));
        Assert.DoesNotContain("g1", f.Kills);
    }

    [Fact]
    public async Task AcceptLaunchGroup_OneInvalidTask_EveryTaskOfTheGroupIsTaskError()
    {
        await using var f = await MasterHttpFixture.StartAsync();
        var agent = await f.RegisterAgentAsync();
        using var events = await V1EventStream.SubscribeAsync(f.Http, """{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"fw"}}}""");
        string framework = (await events.NextAsync("SUBSCRIBED")).GetProperty("subscribed").GetProperty("framework_id").GetProperty("value").GetString()!;
        var offer = (await events.NextAsync("OFFERS")).GetProperty("offers").GetProperty("offers")[0].GetProperty("id").GetProperty("value").GetString();

        using (var accept = await CallAsync(f, events.StreamId, $$$$"""
            {"type":"ACCEPT","framework_id":{"value":"{{{{framework}}}}"},"accept":{"offer_ids":[{"value":"{{{{offer}}}}"}],"operations":[{"type":"LAUNCH_GROUP","launch_group":{
              "executor":{"type":"DEFAULT","executor_id":{"value":"pod-2"}},
              "task_group":{"tasks":[
                {"name":"ok","task_id":{"value":"ok"},"agent_id":{"value":"{{{{agent}}}}"},"command":{"value":"true"},"resources":[{"name":"cpus","type":"SCALAR","scalar":{"value":0.1}}]},
                {"name":"bad","task_id":{"value":"bad"},"agent_id":{"value":"{{{{agent}}}}"},"command":{"value":"true"},"resources":[{"name":"bananas","type":"SCALAR","scalar":{"value":1}}]}]}}}]}}
            """))
        {
            Assert.Equal(HttpStatusCode.Accepted, accept.StatusCode);
        }

        var states = new Dictionary<string, string>();
        for (int i = 0; i < 2; i++)
        {
            var status = (await events.NextAsync("UPDATE")).GetProperty("update").GetProperty("status");
            states[status.GetProperty("task_id").GetProperty("value").GetString()!] = status.GetProperty("state").GetString()!;
            Assert.Equal("REASON_TASK_GROUP_INVALID", status.GetProperty("reason").GetString());
            Assert.Contains("task 'bad': /resources/0/name", status.GetProperty("message").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(new Dictionary<string, string> { ["ok"] = "TASK_ERROR", ["bad"] = "TASK_ERROR" }, states);
        Assert.Empty(f.Launches);
    }

    internal static async Task<HttpResponseMessage> CallAsync(MasterHttpFixture f, string? streamId, string json, string contentType = "application/json")
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/scheduler") { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        if (streamId is not null)
        {
            request.Headers.Add("Mesos-Stream-Id", streamId);
        }

        return await f.Http.SendAsync(request);
    }

    private static async Task ReportAsync(MasterHttpFixture f, string agent, string framework, string task, string state)
    {
        var update = new TaskStatusUpdate { Uuid = Guid.NewGuid().ToString(), TaskId = task, FrameworkId = framework, AgentId = agent, State = state, Timestamp = 1700000000.5 };
        using var ack = await f.Http.PostAsJsonAsync(ProtocolRoutes.Status(agent), update, ProtocolJsonContext.Default.TaskStatusUpdate);
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
    }

    private static async Task WaitAsync(Func<bool> condition)
    {
        for (int i = 0; i < 300 && !condition(); i++)
        {
            await Task.Delay(50);
        }

        Assert.True(condition());
    }
}
