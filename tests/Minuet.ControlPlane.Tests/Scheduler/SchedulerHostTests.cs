using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler;
using Minuet.ControlPlane.Tests.Master;

namespace Minuet.ControlPlane.Tests.Scheduler;

/// <summary>The Marathon API over HTTP on 127.0.0.1 with a real in-process master (agents played by the test).</summary>
public sealed class SchedulerHostTests : SchedulerHostFixture
{
    [Fact]
    public async Task PostApp_Invalid_Answers422WithEveryFieldPath()
    {
        using var response = await Http.PostAsync("v2/apps", HostTestSteps.Json("""{"id":"/Bad","cmd":"x","args":["y"],"mem":-1,"container":{"type":"DOCKER"}}"""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Object is not valid", body.RootElement.GetProperty("message").GetString());
        var paths = body.RootElement.GetProperty("details").EnumerateArray().Select(d => d.GetProperty("path").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "/id", "/", "/mem", "/container/docker" }, paths);
    }

    [Fact]
    public async Task PostApp_MalformedJson_Answers400()
    {
        using var response = await Http.PostAsync("v2/apps", HostTestSteps.Json("""{"id": """));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Invalid JSON", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostApp_ThenOffersAndRunning_ShowsTasksAndScales()
    {
        using var created = await Http.PostAsync("v2/apps", HostTestSteps.Json("""{"id":"/team/web","cmd":"sleep 100","instances":1,"cpus":0.1,"mem":32}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        Assert.True(created.Headers.Contains("Marathon-Deployment-Id"));
        using var duplicate = await Http.PostAsync("v2/apps", HostTestSteps.Json("""{"id":"/team/web","cmd":"sleep 100"}"""));
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);

        var taskId = await HostTestSteps.LaunchedTaskAsync(Master, 1);
        HostTestSteps.Report(Master, AgentId, taskId, TaskState.Running);
        await HostTestSteps.WaitAsync(async () => (await HostTestSteps.AppAsync(Http, "team/web")).GetProperty("tasksRunning").GetInt32() == 1);
        var app = await HostTestSteps.AppAsync(Http, "team/web");
        var task = app.GetProperty("tasks")[0];
        Assert.Equal("TASK_RUNNING", task.GetProperty("state").GetString());
        Assert.StartsWith("team_web.", task.GetProperty("id").GetString(), StringComparison.Ordinal);
        await HostTestSteps.WaitAsync(async () => (await Http.GetStringAsync("v2/deployments")) == "[]");

        using var scale = await Http.PutAsync("v2/apps/team/web", HostTestSteps.Json("""{"instances":2}"""));
        Assert.Equal(HttpStatusCode.OK, scale.StatusCode);
        using var change = JsonDocument.Parse(await scale.Content.ReadAsStringAsync());
        Assert.True(change.RootElement.TryGetProperty("deploymentId", out _));
        Assert.True(change.RootElement.TryGetProperty("version", out _));
        await HostTestSteps.LaunchedTaskAsync(Master, 2);
        Assert.Equal(2, (await HostTestSteps.AppAsync(Http, "team/web")).GetProperty("instances").GetInt32());

        var list = await Http.GetStringAsync("v2/apps?embed=apps.tasks");
        Assert.Contains("\"tasks\":[", list, StringComparison.Ordinal);
        var tasks = await Http.GetFromJsonAsync<JsonElement>("v2/tasks");
        Assert.Equal(2, tasks.GetProperty("tasks").GetArrayLength());
    }

    [Fact]
    public async Task Metrics_AfterALaunch_CountTheOffersReceived()
    {
        static async Task<long> OffersAsync(HttpClient http) =>
            (await http.GetFromJsonAsync<JsonElement>("metrics")).GetProperty("counters").GetProperty("marathon.mesos.offers.incoming.counter").GetProperty("count").GetInt64();

        using var created = await Http.PostAsync("v2/apps", HostTestSteps.Json("""{"id":"/counted","cmd":"sleep 100","instances":1,"cpus":0.1,"mem":32}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        // The launch came out of an offer, so the count the failover bench reads has moved by then.
        await HostTestSteps.LaunchedTaskAsync(Master, 1);
        await HostTestSteps.WaitAsync(async () => await OffersAsync(Http) >= 1);
    }

    [Fact]
    public async Task Events_NeedEventStreamAccept_AndFilterByType()
    {
        using var refused = await Http.GetAsync("v2/events");
        Assert.Equal(HttpStatusCode.MethodNotAllowed, refused.StatusCode);

        using var request = new HttpRequestMessage(HttpMethod.Get, "v2/events?event_type=api_post_event");
        request.Headers.Accept.ParseAdd("text/event-stream");
        using var stream = await Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        using var reader = new StreamReader(await stream.Content.ReadAsStreamAsync());
        using var posted = await Http.PostAsync("v2/apps", HostTestSteps.Json("""{"id":"/ev","cmd":"sleep 1","cpus":0.1,"mem":32}"""));
        var line = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal("event: api_post_event", line);
        var data = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(10));
        Assert.StartsWith("data: {\"eventType\":\"api_post_event\"", data, StringComparison.Ordinal);
        Assert.Contains("\"id\":\"/ev\"", data, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    public async Task Groups_DependencyCycle_Answers422NamingTheCycleAndCreatesNothing(string method)
    {
        const string body = """{"id":"/cyc","groups":[{"id":"a","dependencies":["/cyc/b"],"apps":[{"id":"x","cmd":"sleep 1","mem":32,"cpus":0.1}]},{"id":"b","dependencies":["/cyc/a"],"apps":[{"id":"y","cmd":"sleep 1","mem":32,"cpus":0.1}]}]}""";
        using var request = new HttpRequestMessage(new HttpMethod(method), "v2/groups") { Content = HostTestSteps.Json(body) };

        using var response = await Http.SendAsync(request);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("Object is not valid", json.RootElement.GetProperty("message").GetString());
        var detail = Assert.Single(json.RootElement.GetProperty("details").EnumerateArray().ToList());
        Assert.Equal("/dependencies", detail.GetProperty("path").GetString());
        Assert.Equal("dependency cycle: /cyc/a/x -> /cyc/b/y -> /cyc/a/x", Assert.Single(detail.GetProperty("errors").EnumerateArray().ToList()).GetString());
        using var group = await Http.GetAsync("v2/groups/cyc");
        Assert.Equal(HttpStatusCode.NotFound, group.StatusCode);
    }

    [Fact]
    public async Task Apps_PutClosingADependencyCycle_Answers422AndKeepsTheDefinition()
    {
        using var first = await Http.PostAsync("v2/apps", HostTestSteps.Json("""{"id":"/one","cmd":"sleep 1","mem":32,"cpus":0.1}"""));
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        using var second = await Http.PostAsync("v2/apps", HostTestSteps.Json("""{"id":"/two","cmd":"sleep 1","mem":32,"cpus":0.1,"dependencies":["/one"]}"""));
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);

        using var response = await Http.PutAsync("v2/apps/one?force=true", HostTestSteps.Json("""{"id":"/one","cmd":"sleep 1","mem":32,"cpus":0.1,"dependencies":["/two"]}"""));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        var detail = Assert.Single(json.RootElement.GetProperty("details").EnumerateArray().ToList());
        Assert.Equal("/dependencies", detail.GetProperty("path").GetString());
        Assert.Equal("dependency cycle: /one -> /two -> /one", detail.GetProperty("errors")[0].GetString());
        var one = await HostTestSteps.AppAsync(Http, "one");
        Assert.Empty(one.GetProperty("dependencies").EnumerateArray());
    }

    [Fact]
    public async Task InfoPingLeaderGroups_AnswerMarathonShapes()
    {
        Assert.Equal("pong", await Http.GetStringAsync("ping"));
        var info = await Http.GetFromJsonAsync<JsonElement>("v2/info");
        Assert.Equal("marathon", info.GetProperty("name").GetString());
        Assert.Equal(Host.Core.FrameworkId, info.GetProperty("frameworkId").GetString());
        var leader = await Http.GetFromJsonAsync<JsonElement>("v2/leader");
        Assert.Equal($"127.0.0.1:{Host.BaseAddress.Port}", leader.GetProperty("leader").GetString());

        using var group = await Http.PostAsync("v2/groups", HostTestSteps.Json("""{"id":"/shop","apps":[{"id":"db","cmd":"sleep 1","mem":32,"cpus":0.1}],"groups":[{"id":"front","dependencies":["/shop/db"],"apps":[{"id":"web","cmd":"sleep 1","mem":32,"cpus":0.1}]}]}"""));
        Assert.Equal(HttpStatusCode.Created, group.StatusCode);
        var tree = await Http.GetFromJsonAsync<JsonElement>("v2/groups/shop");
        Assert.Equal("/shop/db", tree.GetProperty("apps")[0].GetProperty("id").GetString());
        var front = tree.GetProperty("groups")[0];
        Assert.Equal("/shop/front", front.GetProperty("id").GetString());
        Assert.Equal("/shop/db", front.GetProperty("dependencies")[0].GetString());
        using var missing = await Http.GetAsync("v2/apps/nope");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
    }
}
