using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Minuet.ControlPlane.Protocol;

namespace Minuet.ControlPlane.Tests.Api;

public class MasterHttpTests
{
    private static HttpRequestMessage Subscribe(string json) =>
        new(HttpMethod.Post, "/api/v1/scheduler/subscribe") { Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json") };

    [Fact]
    public async Task SchedulerApi_SubscribeOfferAcceptStatusAcknowledge_EndToEndOverHttp()
    {
        await using var f = await MasterHttpFixture.StartAsync();
        var agent = await f.RegisterAgentAsync();
        using var events = await NdjsonReader.OpenAsync(f.Http, Subscribe("""{"name":"marathon","role":"*","hostname":"127.0.0.1"}"""));
        Assert.Equal(HttpStatusCode.OK, events.Response.StatusCode);
        var subscribed = await events.NextAsync();
        Assert.Equal("SUBSCRIBED", subscribed.GetProperty("type").GetString());
        var framework = subscribed.GetProperty("subscribed").GetProperty("framework_id").GetString()!;

        var offers = await events.NextAsync(e => e.GetProperty("type").GetString() == "OFFERS");
        var offer = offers.GetProperty("offers")[0];
        Assert.Equal(agent, offer.GetProperty("agent_id").GetString());
        Assert.Equal(2, offer.GetProperty("resources").GetProperty("cpus").GetDouble());

        using var accept = await f.PostJsonAsync("/api/v1/scheduler/accept", $$"""
            {"framework_id":"{{framework}}","offer_ids":["{{offer.GetProperty("id").GetString()}}"],
             "tasks":[{"task_id":"web.1","name":"web","command":{"value":"sleep 100"},
                       "resources":{"cpus":0.5,"mem":64,"ports":[{"begin":31000,"end":31000}]},
                       "labels":[{"key":"HAPROXY_GROUP","value":"external"}]}]}
            """);
        Assert.Equal(HttpStatusCode.Accepted, accept.StatusCode);

        // The launch reaches the (fake) agent in the background.
        for (int i = 0; i < 100 && f.Launches.Count == 0; i++)
        {
            await Task.Delay(50);
        }

        var launch = Assert.Single(f.Launches);
        Assert.Equal("web.1", launch.TaskId);
        Assert.Equal(agent, launch.AgentId);

        var update = new TaskStatusUpdate
        {
            Uuid = Guid.NewGuid().ToString(),
            TaskId = "web.1",
            FrameworkId = framework,
            AgentId = agent,
            State = "TASK_RUNNING",
            Timestamp = 1700000000.5,
        };
        using (var ack = await f.Http.PostAsJsonAsync(ProtocolRoutes.Status(agent), update, ProtocolJsonContext.Default.TaskStatusUpdate))
        {
            Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
            Assert.Equal(update.Uuid, (await ack.Content.ReadFromJsonAsync(ProtocolJsonContext.Default.StatusAcknowledgement))!.Uuid);
        }

        var forwarded = await events.NextAsync(e => e.GetProperty("type").GetString() == "UPDATE");
        Assert.Equal("TASK_RUNNING", forwarded.GetProperty("update").GetProperty("state").GetString());
        Assert.Equal(update.Uuid, forwarded.GetProperty("update").GetProperty("uuid").GetString());
        using (var acknowledged = await f.PostJsonAsync("/api/v1/scheduler/acknowledge",
            $$"""{"framework_id":"{{framework}}","task_id":"web.1","agent_id":"{{agent}}","uuid":"{{update.Uuid}}"}"""))
        {
            Assert.Equal(HttpStatusCode.Accepted, acknowledged.StatusCode);
        }

        foreach (var path in new[] { "/master/state", "/state.json" })
        {
            using var state = JsonDocument.Parse(await f.Http.GetStringAsync(path));
            var task = state.RootElement.GetProperty("frameworks")[0].GetProperty("tasks")[0];
            Assert.Equal("TASK_RUNNING", task.GetProperty("state").GetString());
            Assert.Equal("[31000-31000]", task.GetProperty("resources").GetProperty("ports").GetString());
            Assert.StartsWith("master@127.0.0.1:", state.RootElement.GetProperty("leader").GetString(), StringComparison.Ordinal);
        }

        using var kill = await f.PostJsonAsync("/api/v1/scheduler/kill", $$"""{"framework_id":"{{framework}}","task_id":"web.1"}""");
        Assert.Equal(HttpStatusCode.Accepted, kill.StatusCode);
        for (int i = 0; i < 100 && f.Kills.Count == 0; i++)
        {
            await Task.Delay(50);
        }

        Assert.Equal("web.1", Assert.Single(f.Kills));
    }

    [Fact]
    public async Task EndpointStream_SnapshotThenDeltas_ResumesWithSince()
    {
        await using var f = await MasterHttpFixture.StartAsync();
        long version;
        using (var stream = await NdjsonReader.OpenAsync(f.Http, new HttpRequestMessage(HttpMethod.Get, "/master/endpoints/stream")))
        {
            var snapshot = await stream.NextAsync();
            Assert.Equal("snapshot", snapshot.GetProperty("type").GetString());
            Assert.True(snapshot.GetProperty("state").TryGetProperty("leader", out _));
            version = snapshot.GetProperty("version").GetInt64();

            var agent = await f.RegisterAgentAsync();
            var delta = await stream.NextAsync(e => e.GetProperty("type").GetString() != "heartbeat");
            Assert.Equal("agent", delta.GetProperty("type").GetString());
            Assert.Equal(agent, delta.GetProperty("agent").GetProperty("id").GetString());
            Assert.Equal(version + 1, delta.GetProperty("version").GetInt64());
            version = delta.GetProperty("version").GetInt64();
        }

        // Changes while disconnected are replayed in order after ?since=.
        var second = await f.RegisterAgentAsync();
        var third = await f.RegisterAgentAsync();
        using (var resumed = await NdjsonReader.OpenAsync(f.Http, new HttpRequestMessage(HttpMethod.Get, $"/master/endpoints/stream?since={version}")))
        {
            var a = await resumed.NextAsync();
            var b = await resumed.NextAsync();
            Assert.Equal("agent", a.GetProperty("type").GetString());
            Assert.Equal(second, a.GetProperty("agent").GetProperty("id").GetString());
            Assert.Equal(version + 1, a.GetProperty("version").GetInt64());
            Assert.Equal(third, b.GetProperty("agent").GetProperty("id").GetString());
            Assert.Equal(version + 2, b.GetProperty("version").GetInt64());
        }

        // A version this master never had (another master, or too old) gets a fresh snapshot.
        using (var stale = await NdjsonReader.OpenAsync(f.Http, new HttpRequestMessage(HttpMethod.Get, "/master/endpoints/stream?since=1")))
        {
            var snapshot = await stale.NextAsync();
            Assert.Equal("snapshot", snapshot.GetProperty("type").GetString());
            Assert.Equal(3, snapshot.GetProperty("state").GetProperty("slaves").GetArrayLength());
        }

        using var bad = await f.Http.GetAsync("/master/endpoints/stream?since=abc");
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("since", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/scheduler/accept", "{\"offer_ids\":[]}", 422, "/framework_id")]
    [InlineData("/api/v1/scheduler/accept", "{\"framework_id\":\"x\",\"offer_ids\":[]}", 404, "unknown_framework")]
    [InlineData("/api/v1/scheduler/subscribe", "{\"role\":\"*\"}", 422, "/name")]
    [InlineData("/api/v1/scheduler/subscribe", "{\"name\":\"m\",\"role\":5}", 400, "/role")]
    [InlineData("/api/v1/scheduler/decline", "not json", 400, "invalid_json")]
    [InlineData("/api/agent/register", "{\"hostname\":\"h\"}", 400, "/address")]
    [InlineData("/master/reserve", "{\"agent_id\":\"a\",\"role\":\"*\",\"resources\":{\"cpus\":1}}", 422, "/role")]
    public async Task BadRequests_AreJson4xxNamingTheField(string path, string body, int status, string mention)
    {
        await using var f = await MasterHttpFixture.StartAsync();
        using var response = await f.PostJsonAsync(path, body);
        Assert.Equal(status, (int)response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(text);
        Assert.True(doc.RootElement.TryGetProperty("message", out _), text);
        Assert.Contains(mention, text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/api/v1/scheduler/accept", 17, "16777216 bytes (16 MiB)", true)]
    [InlineData("/api/v1/scheduler/accept", 17, "16777216 bytes (16 MiB)", false)]
    [InlineData("/api/agent/register", 65, "67108864 bytes (64 MiB)", true)]
    public async Task Post_BodyOverTheEndpointsLimit_Json413NamingTheLimit(string path, int mebibytes, string limit, bool chunked)
    {
        await using var f = await MasterHttpFixture.StartAsync();
        // A JSON string of the given size: read and refused at the limit, never parsed into memory.
        var body = new byte[mebibytes * 1024 * 1024];
        Array.Fill(body, (byte)'x');
        "{\"framework_id\":\""u8.CopyTo(body);
        body[^2] = (byte)'"';
        body[^1] = (byte)'}';
        HttpContent content = chunked ? new StreamContent(new MemoryStream(body)) : new ByteArrayContent(body);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (chunked)
        {
            content.Headers.ContentLength = null;
        }

        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        using var response = await f.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(text);
        Assert.Equal("payload_too_large", doc.RootElement.GetProperty("code").GetString());
        Assert.Contains(limit, doc.RootElement.GetProperty("message").GetString(), StringComparison.Ordinal);
        using var metrics = JsonDocument.Parse(await f.Http.GetStringAsync("/metrics"));
        Assert.Equal(1, metrics.RootElement.GetProperty("master/http_requests_too_large").GetInt64());
    }
}
