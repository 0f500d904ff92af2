using System.Net;
using System.Text;

namespace Minuet.ControlPlane.Tests.Api.V1;

/// <summary>Status codes and plain-text errors in the order of Mesos's <c>Master::Http::scheduler</c>.</summary>
public class V1SchedulerNegotiationTests
{
    private const string Subscribe = """{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":"u","name":"fw"}}}""";

    [Fact]
    public async Task Get_Is405WithAllowPost()
    {
        await using var f = await MasterHttpFixture.StartAsync();
        using var response = await f.Http.GetAsync("/api/v1/scheduler");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("POST", string.Join(",", response.Content.Headers.Allow));
        Assert.Equal("Expecting a 'POST' request, received 'GET'", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData(null, 400, "Expecting 'Content-Type' to be present")]
    [InlineData("application/json; charset=utf-8", 415, "Expecting 'Content-Type' of application/json or application/x-protobuf")]
    [InlineData("text/plain", 415, "Expecting 'Content-Type' of application/json or application/x-protobuf")]
    [InlineData("application/x-protobuf", 415, "application/x-protobuf is not supported")]
    public async Task ContentType_NotExactlyJson_IsRefused(string? contentType, int status, string text)
    {
        await using var f = await MasterHttpFixture.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/scheduler") { Content = new ByteArrayContent(Encoding.UTF8.GetBytes(Subscribe)) };
        if (contentType is not null)
        {
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        }

        using var response = await f.Http.SendAsync(request);
        Assert.Equal(status, (int)response.StatusCode);
        Assert.Contains(text, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.StartsWith("text/plain", response.Content.Headers.ContentType!.MediaType, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{not json", "Failed to parse body into JSON: ")]
    [InlineData("[1]", "Failed to convert JSON into Call protobuf: ")]
    [InlineData("""{"type":"SUBSCRIBE","subscribe":{"framework_info":{"user":5,"name":"x"}}}""", "Failed to convert JSON into Call protobuf: ")]
    [InlineData("""{"subscribe":{}}""", "Failed to validate scheduler::Call: Expecting 'type' to be present")]
    [InlineData("""{"type":"NO_SUCH_CALL"}""", "Failed to validate scheduler::Call: Expecting 'type' to be present")]
    [InlineData("""{"type":"SUBSCRIBE"}""", "Failed to validate scheduler::Call: Expecting 'subscribe' to be present")]
    [InlineData("""{"type":"SUBSCRIBE","subscribe":{"framework_info":{"name":"x"}}}""", "Missing required field 'subscribe.framework_info.user'")]
    [InlineData("""{"type":"SUBSCRIBE","framework_id":{"value":"a"},"subscribe":{"framework_info":{"user":"u","name":"x","id":{"value":"b"}}}}""", "'framework_id' differs from 'subscribe.framework_info.id'")]
    [InlineData("""{"type":"REVIVE"}""", "Failed to validate scheduler::Call: Expecting 'framework_id' to be present")]
    [InlineData("""{"type":"ACCEPT","framework_id":{"value":"f"}}""", "Failed to validate scheduler::Call: Expecting 'accept' to be present")]
    [InlineData("""{"type":"ACKNOWLEDGE","framework_id":{"value":"f"},"acknowledge":{"agent_id":{"value":"a"},"task_id":{"value":"t"},"uuid":"not-a-uuid"}}""", "'acknowledge.uuid' must be 16 bytes")]
    [InlineData("""{"type":"REVIVE","framework_id":{"value":"nobody"}}""", "Framework cannot be found")]
    public async Task Body_MalformedOrInvalid_Is400WithMesosMessage(string body, string text)
    {
        await using var f = await MasterHttpFixture.StartAsync();
        using var response = await V1SchedulerFrameworkTests.CallAsync(f, null, body);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(text, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/x-protobuf", 406)]
    [InlineData("text/html", 406)]
    [InlineData("application/json;q=0, */*", 406)]
    [InlineData("application/*", 200)]
    [InlineData("*/*", 200)]
    [InlineData("text/html, application/json;q=0.5", 200)]
    public async Task Subscribe_AcceptHeader_NegotiatesJsonOr406(string accept, int status)
    {
        await using var f = await MasterHttpFixture.StartAsync();
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/scheduler") { Content = new StringContent(Subscribe, Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("Accept", accept);
        using var response = await f.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(status, (int)response.StatusCode);
        if (status == 406)
        {
            Assert.Contains("Expecting 'Accept' to allow", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Subscribe_WithStreamIdHeader_Is400()
    {
        await using var f = await MasterHttpFixture.StartAsync();
        using var response = await V1SchedulerFrameworkTests.CallAsync(f, Guid.NewGuid().ToString(), Subscribe);
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("Subscribe calls should not include the 'Mesos-Stream-Id' header", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task Call_WithoutOrWithWrongStreamId_Is400_WithRightOne202_HeaderNameCaseInsensitive()
    {
        await using var f = await MasterHttpFixture.StartAsync();
        using var events = await V1EventStream.SubscribeAsync(f.Http, Subscribe);
        string framework = (await events.NextAsync("SUBSCRIBED")).GetProperty("subscribed").GetProperty("framework_id").GetProperty("value").GetString()!;
        string revive = $$$$"""{"type":"REVIVE","framework_id":{"value":"{{{{framework}}}}"},"revive":{"roles":[]}}""";

        using (var missing = await V1SchedulerFrameworkTests.CallAsync(f, null, revive))
        {
            Assert.Equal(HttpStatusCode.BadRequest, missing.StatusCode);
            Assert.Equal("All non-subscribe calls should include the 'Mesos-Stream-Id' header", await missing.Content.ReadAsStringAsync());
        }

        using (var wrong = await V1SchedulerFrameworkTests.CallAsync(f, "not-the-stream", revive))
        {
            Assert.Equal(HttpStatusCode.BadRequest, wrong.StatusCode);
        }

        // mesos-framework (npm) sends the header in lower case.
        var request = new HttpRequestMessage(HttpMethod.Post, "/master/api/v1/scheduler") { Content = new StringContent(revive, Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.TryAddWithoutValidation("mesos-stream-id", events.StreamId);
        using var right = await f.Http.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, right.StatusCode);
        Assert.Equal(0, right.Content.Headers.ContentLength ?? 0);
    }

    [Fact]
    public async Task Accept_UnsupportedOperation_Is400NamingIt()
    {
        await using var f = await MasterHttpFixture.StartAsync();
        using var events = await V1EventStream.SubscribeAsync(f.Http, Subscribe);
        string framework = (await events.NextAsync("SUBSCRIBED")).GetProperty("subscribed").GetProperty("framework_id").GetProperty("value").GetString()!;
        using var response = await V1SchedulerFrameworkTests.CallAsync(f, events.StreamId,
            $$$$"""{"type":"ACCEPT","framework_id":{"value":"{{{{framework}}}}"},"accept":{"offer_ids":[],"operations":[{"type":"CREATE","create":{}}]}}""");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("operation 'CREATE' is not supported", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
