using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Tests.Api;

namespace Minuet.ControlPlane.Tests.MesosApi;

/// <summary>The master's <c>POST /api/v1</c> against golden JSON checked with include/mesos/v1/master/master.proto.</summary>
public class MasterOperatorApiTests
{
    private static Dictionary<string, string> Replacements(MasterHttpFixture f) => new()
    {
        [f.Master.Master.MasterId] = "MASTER",
        [$"127.0.0.1:{f.AgentBase.Port}"] = "127.0.0.1:5051",
        [$"port:{f.AgentBase.Port}"] = "5051",
        ["exact:" + f.Master.Master.Options.Hostname] = "master-host",
    };

    private static string Id(string value) => "{\"value\":\"" + value + "\"}";

    private static string Call(string type, string field, string body) => "{\"type\":\"" + type + "\",\"" + field + "\":" + body + "}";

    /// <summary>An agent, a framework and its task web.1 (TASK_RUNNING), through the framework API.</summary>
    private static async Task<(string Agent, string Framework, NdjsonReader Events)> RunningTaskAsync(MasterHttpFixture f, RecordIoReader? operatorEvents = null)
    {
        var agent = await f.RegisterAgentAsync();
        if (operatorEvents is not null)
        {
            Golden.AssertMatches("event-agent-added", await operatorEvents.NextOfTypeAsync("AGENT_ADDED"), Replacements(f));
        }

        var events = await NdjsonReader.OpenAsync(f.Http, new HttpRequestMessage(HttpMethod.Post, "/api/v1/scheduler/subscribe")
        {
            Content = new StringContent("""{"name":"marathon","role":"*","hostname":"127.0.0.1","failover_timeout":3600}""", System.Text.Encoding.UTF8, "application/json"),
        });
        string framework = (await events.NextAsync()).GetProperty("subscribed").GetProperty("framework_id").GetString()!;
        if (operatorEvents is not null)
        {
            Golden.AssertMatches("event-framework-added", await operatorEvents.NextOfTypeAsync("FRAMEWORK_ADDED"), Replacements(f));
        }

        var offer = (await events.NextAsync(e => e.GetProperty("type").GetString() == "OFFERS")).GetProperty("offers")[0].GetProperty("id").GetString();
        using (var accept = await f.PostJsonAsync("/api/v1/scheduler/accept", $$"""
            {"framework_id":"{{framework}}","offer_ids":["{{offer}}"],
             "tasks":[{"task_id":"web.1","name":"web","command":{"value":"sleep 100"},
                       "resources":{"cpus":0.5,"mem":64,"ports":[{"begin":31000,"end":31000}]},
                       "labels":[{"key":"HAPROXY_GROUP","value":"external"}]}]}
            """))
        {
            Assert.Equal(HttpStatusCode.Accepted, accept.StatusCode);
        }

        if (operatorEvents is not null)
        {
            Golden.AssertMatches("event-task-added", await operatorEvents.NextOfTypeAsync("TASK_ADDED"), Replacements(f));
        }

        var update = new TaskStatusUpdate
        {
            Uuid = "3f2504e0-4f89-11d3-9a0c-0305e82c3301",
            TaskId = "web.1",
            FrameworkId = framework,
            AgentId = agent,
            State = "TASK_RUNNING",
            Timestamp = 1700000000.5,
            ContainerStatus = new ContainerStatus { NetworkInfos = [new NetworkInfo { IpAddresses = [new IpAddressInfo { IpAddress = "127.0.0.1" }] }] },
        };
        using (var ack = await f.Http.PostAsJsonAsync(ProtocolRoutes.Status(agent), update, ProtocolJsonContext.Default.TaskStatusUpdate))
        {
            Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        }

        if (operatorEvents is not null)
        {
            var updated = await operatorEvents.NextOfTypeAsync("TASK_UPDATED");
            Golden.AssertMatches("event-task-updated", updated, Replacements(f));

            // Mesos uuids are 16 raw bytes: Minuet's GUID text is carried as its bytes.
            Assert.Equal("PyUE4E+JEdOaDAMF6CwzAQ==", updated.GetProperty("task_updated").GetProperty("status").GetProperty("uuid").GetString());
        }

        return (agent, framework, events);
    }

    [Fact]
    public async Task Subscribe_ClusterChanges_StreamMesosEventsAsRecordIo()
    {
        await using var f = await MasterHttpFixture.StartAsync();
        using var stream = await RecordIoReader.OpenAsync(f.Http, "/api/v1", """{"type":"SUBSCRIBE"}""");
        Assert.Equal(HttpStatusCode.OK, stream.Response.StatusCode);
        Assert.Equal("application/json", stream.Response.Content.Headers.ContentType?.MediaType);
        Golden.AssertMatches("event-subscribed-empty", await stream.NextAsync(), Replacements(f));
        Assert.Equal("HEARTBEAT", (await stream.NextAsync()).GetProperty("type").GetString());

        var (agent, framework, events) = await RunningTaskAsync(f, stream);
        using (events)
        {
            using (var gone = await MesosCluster.CallAsync(f.Http, "/api/v1", Call("MARK_AGENT_GONE", "mark_agent_gone", "{\"agent_id\":" + Id(agent) + "}")))
            {
                Assert.Equal(HttpStatusCode.OK, gone.StatusCode);
            }

            var goneUpdate = await stream.NextOfTypeAsync("TASK_UPDATED");
            Assert.Equal("TASK_GONE_BY_OPERATOR", goneUpdate.GetProperty("task_updated").GetProperty("state").GetString());
            Assert.Equal("REASON_SLAVE_REMOVED_BY_OPERATOR", goneUpdate.GetProperty("task_updated").GetProperty("status").GetProperty("reason").GetString());
            Golden.AssertMatches("event-agent-removed", await stream.NextOfTypeAsync("AGENT_REMOVED"), Replacements(f));

            using (var teardown = await MesosCluster.CallAsync(f.Http, "/api/v1", Call("TEARDOWN", "teardown", "{\"framework_id\":" + Id(framework) + "}")))
            {
                Assert.Equal(HttpStatusCode.OK, teardown.StatusCode);
            }

            Golden.AssertMatches("event-framework-removed", await stream.NextOfTypeAsync("FRAMEWORK_REMOVED"), Replacements(f));
        }

        // A gone agent may not come back under its id.
        var register = new RegisterAgentRequest
        {
            AgentId = agent,
            Hostname = "fake-agent",
            Address = "127.0.0.1",
            Port = f.AgentBase.Port,
            Resources = new ResourceSet { Cpus = 2, Mem = 1024 },
        };
        using var again = await f.Http.PostAsJsonAsync(ProtocolRoutes.Register, register, ProtocolJsonContext.Default.RegisterAgentRequest);
        Assert.Equal(HttpStatusCode.Forbidden, again.StatusCode);
    }

    [Fact]
    public async Task GetCalls_AgentFrameworkAndRunningTask_AnswerGoldenMesosShapes()
    {
        await using var f = await MasterHttpFixture.StartAsync();
        var (_, _, events) = await RunningTaskAsync(f);
        using (events)
        {
            foreach (var type in new[] { "GET_STATE", "GET_AGENTS", "GET_FRAMEWORKS", "GET_TASKS", "GET_EXECUTORS", "GET_ROLES", "GET_MASTER", "GET_VERSION", "GET_HEALTH", "GET_FLAGS" })
            {
                var answer = await MesosCluster.GetAsync(f.Http, "/api/v1", type);
                Assert.Equal(type, answer.GetProperty("type").GetString());
                Golden.AssertMatches("master-" + type.ToLowerInvariant().Replace('_', '-'), answer, Replacements(f));

                var alias = await MesosCluster.GetAsync(f.Http, "/master/api/v1", type);
                Assert.Equal(Golden.Normalize(answer, Replacements(f)), Golden.Normalize(alias, Replacements(f)));
            }
        }
    }

    [Fact]
    public async Task GetStateAndParts_WhileTheMasterLockIsHeld_AnswerFromThePublishedView()
    {
        await using var f = await MasterHttpFixture.StartAsync();
        var (_, _, events) = await RunningTaskAsync(f);
        using (events)
        {
            var core = f.Master.Master;
            using var held = new ManualResetEventSlim();
            using var release = new ManualResetEventSlim();
            var holder = new Thread(() =>
            {
                lock (core.Gate)
                {
                    held.Set();
                    release.Wait();
                }
            });
            holder.Start();
            held.Wait();
            try
            {
                // The lock is held by another thread throughout: a call that needed it would not answer.
                var state = await MesosCluster.GetAsync(f.Http, "/api/v1", "GET_STATE").WaitAsync(TimeSpan.FromSeconds(60));
                var task = Assert.Single(state.GetProperty("get_state").GetProperty("get_tasks").GetProperty("tasks").EnumerateArray());
                Assert.Equal("TASK_RUNNING", task.GetProperty("state").GetString());
                foreach (var type in new[] { "GET_TASKS", "GET_AGENTS", "GET_FRAMEWORKS", "GET_EXECUTORS", "GET_MASTER" })
                {
                    var answer = await MesosCluster.GetAsync(f.Http, "/api/v1", type).WaitAsync(TimeSpan.FromSeconds(60));
                    Assert.Equal(type, answer.GetProperty("type").GetString());
                }
            }
            finally
            {
                release.Set();
                holder.Join();
            }
        }
    }

    [Theory]
    [InlineData("GET", null, null, 405, "POST")]
    [InlineData("POST", null, """{"type":"GET_HEALTH"}""", 400, "Expecting 'Content-Type' to be present")]
    [InlineData("POST", "text/plain", """{"type":"GET_HEALTH"}""", 415, "Expecting 'Content-Type' of application/json or application/x-protobuf")]
    [InlineData("POST", "application/json; charset=utf-8", """{"type":"GET_HEALTH"}""", 415, "Expecting 'Content-Type'")]
    [InlineData("POST", "application/x-protobuf", "", 415, "JSON only")]
    [InlineData("POST", "application/json", "{not json", 400, "Failed to parse body into JSON")]
    [InlineData("POST", "application/json", """{"type":"GET_EVERYTHING"}""", 400, "Failed to validate master::Call: Expecting 'type' to be present")]
    [InlineData("POST", "application/json", """{"type":"UNKNOWN"}""", 501, "")]
    [InlineData("POST", "application/json", """{"type":"GET_METRICS","get_metrics":{}}""", 501, "GET_METRICS is not supported")]
    [InlineData("POST", "application/json", """{"type":"MARK_AGENT_GONE"}""", 400, "Expecting 'mark_agent_gone' to be present")]
    [InlineData("POST", "application/json", """{"type":"MARK_AGENT_GONE","mark_agent_gone":{"agent_id":{"value":"nope"}}}""", 404, "Agent 'nope' not found")]
    [InlineData("POST", "application/json", """{"type":"UPDATE_QUOTA","update_quota":{"quota_configs":[{"role":"dev","guarantees":{"cpus":{"value":2}},"limits":{"cpus":{"value":1}}}]}}""", 400, "guarantees exceed limits")]
    [InlineData("POST", "application/json", """{"type":"UPDATE_QUOTA","update_quota":{"quota_configs":[{"role":"dev","limits":{"gpus":{"value":1}}}]}}""", 400, "'update_quota.quota_configs[0].limits.gpus'")]
    public async Task Api_BadRequests_AnswerMesosStatusAndPlainText(string method, string? contentType, string? body, int status, string mention)
    {
        await using var f = await MasterHttpFixture.StartAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), "/api/v1");
        if (body is not null)
        {
            request.Content = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(body));
            if (contentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            }
        }

        using var response = await f.Http.SendAsync(request);
        Assert.Equal(status, (int)response.StatusCode);
        string text = await response.Content.ReadAsStringAsync();
        if (status == 405)
        {
            Assert.Contains(mention, response.Content.Headers.Allow);
            return;
        }

        if (mention.Length == 0)
        {
            Assert.Empty(text);
            return;
        }

        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains(mention, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/x-protobuf", 406)]
    [InlineData("application/json;q=0, application/x-protobuf", 406)]
    [InlineData("application/json", 200)]
    [InlineData("*/*", 200)]
    [InlineData("text/html, application/*;q=0.5", 200)]
    public async Task Api_Accept_NegotiatesJsonOr406(string accept, int status)
    {
        await using var f = await MasterHttpFixture.StartAsync();
        using var response = await MesosCluster.CallAsync(f.Http, "/api/v1", """{"type":"GET_HEALTH"}""", accept);
        Assert.Equal(status, (int)response.StatusCode);
    }

    [Fact]
    public async Task UpdateQuota_ThenGetQuota_StoresConfigsAndTheAllocatorEnforcesThem()
    {
        await using var f = await MasterHttpFixture.StartAsync();
        using (var update = await MesosCluster.CallAsync(f.Http, "/api/v1", """
            {"type":"UPDATE_QUOTA","update_quota":{"force":false,"quota_configs":[
              {"role":"dev","guarantees":{"cpus":{"value":1}},"limits":{"cpus":{"value":2},"mem":{"value":2048}}},
              {"role":"test","limits":{"cpus":{"value":"0.5"}}}]}}
            """))
        {
            Assert.Equal(HttpStatusCode.OK, update.StatusCode);
            Assert.Empty(await update.Content.ReadAsStringAsync());
        }

        Golden.AssertMatches("master-get-quota", await MesosCluster.GetAsync(f.Http, "/api/v1", "GET_QUOTA"), Replacements(f));
        var quota = f.Master.Master.Read(m => m.Allocator.QuotaOf("dev"));
        Assert.NotNull(quota);
        Assert.Equal(1, quota.Guarantee.Cpus);
        Assert.Equal(2, quota.Limit!.Value.Cpus);

        // Empty guarantees and limits reset a role to no quota.
        using (var reset = await MesosCluster.CallAsync(f.Http, "/api/v1", """{"type":"UPDATE_QUOTA","update_quota":{"quota_configs":[{"role":"dev"}]}}"""))
        {
            Assert.Equal(HttpStatusCode.OK, reset.StatusCode);
        }

        Assert.Null(f.Master.Master.Read(m => m.Allocator.QuotaOf("dev")));
        var configs = (await MesosCluster.GetAsync(f.Http, "/api/v1", "GET_QUOTA")).GetProperty("get_quota").GetProperty("status").GetProperty("configs");
        Assert.Equal("test", Assert.Single(configs.EnumerateArray()).GetProperty("role").GetString());
    }

    [Fact]
    public async Task ReserveAndUnreserveResources_ChangeTheAgentsReservations()
    {
        await using var f = await MasterHttpFixture.StartAsync();
        var agent = await f.RegisterAgentAsync();
        string resources = """[{"name":"cpus","type":"SCALAR","scalar":{"value":1},"reservations":[{"type":"DYNAMIC","role":"db"}]},{"name":"mem","type":"SCALAR","scalar":{"value":256},"reservations":[{"type":"DYNAMIC","role":"db"}]}]""";
        using (var reserve = await MesosCluster.CallAsync(f.Http, "/api/v1", Call("RESERVE_RESOURCES", "reserve_resources", "{\"agent_id\":" + Id(agent) + ",\"resources\":" + resources + "}")))
        {
            Assert.Equal(HttpStatusCode.Accepted, reserve.StatusCode);
        }

        var agents = await MesosCluster.GetAsync(f.Http, "/api/v1", "GET_AGENTS");
        var reserved = agents.GetProperty("get_agents").GetProperty("agents")[0].GetProperty("total_resources").EnumerateArray()
            .Where(r => r.GetProperty("role").GetString() == "db").ToList();
        Assert.Equal(2, reserved.Count);
        Assert.Equal("db", reserved[0].GetProperty("reservations")[0].GetProperty("role").GetString());

        using (var tooMuch = await MesosCluster.CallAsync(f.Http, "/api/v1", Call("UNRESERVE_RESOURCES", "unreserve_resources", "{\"agent_id\":" + Id(agent) + ",\"resources\":[{\"name\":\"cpus\",\"type\":\"SCALAR\",\"scalar\":{\"value\":5},\"role\":\"db\"}]}")))
        {
            Assert.True(tooMuch.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.BadRequest, $"{tooMuch.StatusCode}");
        }

        using (var unreserve = await MesosCluster.CallAsync(f.Http, "/api/v1", Call("UNRESERVE_RESOURCES", "unreserve_resources", "{\"agent_id\":" + Id(agent) + ",\"resources\":" + resources + "}")))
        {
            Assert.Equal(HttpStatusCode.Accepted, unreserve.StatusCode);
        }

        agents = await MesosCluster.GetAsync(f.Http, "/api/v1", "GET_AGENTS");
        Assert.DoesNotContain(agents.GetProperty("get_agents").GetProperty("agents")[0].GetProperty("total_resources").EnumerateArray(), r => r.GetProperty("role").GetString() == "db");

        using var unknown = await MesosCluster.CallAsync(f.Http, "/api/v1", Call("RESERVE_RESOURCES", "reserve_resources", "{\"agent_id\":" + Id("nope") + ",\"resources\":" + resources + "}"));
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("No agent found with specified ID", await unknown.Content.ReadAsStringAsync());
    }
}
