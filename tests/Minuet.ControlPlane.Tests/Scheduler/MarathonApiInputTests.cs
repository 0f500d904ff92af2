using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Minuet.ControlPlane.Scheduler;
using Minuet.ControlPlane.Scheduler.Http;
using Minuet.ControlPlane.Scheduler.Validation;
using Minuet.ControlPlane.Tests.Master;

namespace Minuet.ControlPlane.Tests.Scheduler;

/// <summary>Bad input at the Marathon API: every refusal is a 4xx in Marathon's shape naming the field, never a 500.</summary>
public sealed class MarathonApiInputTests : IAsyncLifetime, IDisposable
{
    private readonly TestMaster _master = new(time: new ManualTime(DateTimeOffset.UtcNow));
    private SchedulerHost? _host;
    private HttpClient? _http;

    private HttpClient Http => _http!;

    public async Task InitializeAsync()
    {
        _master.RegisterAgent();
        _host = SchedulerHost.Create(new SchedulerHostOptions { MarathonListen = new IPEndPoint(IPAddress.Loopback, 0), Master = _master.Core });
        await _host.StartAsync();
        _http = new HttpClient { BaseAddress = _host.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }

    public void Dispose() => _http?.Dispose();

    [Theory]
    [InlineData("POST", "v2/apps")]
    [InlineData("PUT", "v2/apps/x")]
    [InlineData("PUT", "v2/apps")]
    [InlineData("POST", "v2/groups")]
    [InlineData("PUT", "v2/groups/g")]
    public async Task Change_InvalidUtf8InAString_Answers400NamingTheField(string method, string url)
    {
        // "cmd": "echo \xff\xfe" — valid JSON tokens, invalid UTF-8 inside the string.
        var prefix = url == "v2/apps" && method == "PUT" ? "[{\"id\":\"/x\",\"cmd\":\"echo " : url.Contains("groups", StringComparison.Ordinal) ? "{\"id\":\"/g\",\"apps\":[{\"id\":\"a\",\"cmd\":\"echo " : "{\"id\":\"/x\",\"cmd\":\"echo ";
        var suffix = url == "v2/apps" && method == "PUT" ? "\"}]" : url.Contains("groups", StringComparison.Ordinal) ? "\"}]}" : "\"}";
        var bytes = Encoding.UTF8.GetBytes(prefix).Concat(new byte[] { 0xff, 0xfe }).Concat(Encoding.UTF8.GetBytes(suffix)).ToArray();
        using var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var response = await Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = content });

        var (status, message, paths) = await ReadAsync(response);
        Assert.Equal(400, status);
        Assert.Equal("Invalid JSON", message);
        Assert.Single(paths, p => p.Path.EndsWith("/cmd", StringComparison.Ordinal) && p.Errors.Contains("is not valid UTF-8"));
    }

    [Fact]
    public async Task PostApp_BodyOverTheLimit_Answers413NamingTheLimit()
    {
        var json = "{\"id\":\"/big\",\"cmd\":\"true\",\"labels\":{" + string.Join(',', Enumerable.Range(0, 20_000).Select(i => $"\"k{i}\":\"{new string('v', 50)}\"")) + "}}";
        Assert.True(json.Length > RequestBody.MaxBodyBytes);
        using var response = await Http.PostAsync("v2/apps", HostTestSteps.Json(json));

        var (status, message, _) = await ReadAsync(response);
        Assert.Equal(413, status);
        Assert.Contains("1048576-byte limit", message, StringComparison.Ordinal);
        Assert.Equal(404, (int)(await Http.GetAsync("v2/apps/big")).StatusCode);
    }

    [Fact]
    public async Task PostApp_CmdOverTheFieldLimit_Answers413AtCmd()
    {
        using var response = await Http.PostAsync("v2/apps", HostTestSteps.Json($$"""{"id":"/long","cmd":"{{new string('x', RequestBody.MaxStringBytes + 1)}}"}"""));

        var (status, message, paths) = await ReadAsync(response);
        Assert.Equal(413, status);
        Assert.Contains("131072-byte limit", message, StringComparison.Ordinal);
        Assert.Equal("/cmd", Assert.Single(paths).Path);
    }

    [Fact]
    public async Task PostApp_CmdAtTheFieldLimit_IsAccepted()
    {
        using var response = await Http.PostAsync("v2/apps", HostTestSteps.Json($$"""{"id":"/edge","instances":0,"cmd":"{{new string('x', RequestBody.MaxStringBytes)}}"}"""));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task PutApp_NumericBodyId_Answers422AtId()
    {
        using var response = await Http.PutAsync("v2/apps/x", HostTestSteps.Json("""{"id": 5, "cmd": "sleep 1"}"""));

        var (status, _, paths) = await ReadAsync(response);
        Assert.Equal(422, status);
        Assert.Contains(paths, p => p.Path == "/id" && p.Errors.Contains("must be a string"));
        Assert.Equal(404, (int)(await Http.GetAsync("v2/apps/x")).StatusCode);
    }

    [Fact]
    public async Task PutApps_NumericIdInArray_Answers422AtThatItemsId()
    {
        using var response = await Http.PutAsync("v2/apps", HostTestSteps.Json("""[{"id": 5, "cmd": "sleep 1"}]"""));

        var (status, _, paths) = await ReadAsync(response);
        Assert.Equal(422, status);
        Assert.Contains(paths, p => p.Path == "/0/id" && p.Errors.Contains("must be a string"));
    }

    [Fact]
    public async Task PostApp_CpusOverflowingADouble_Answers422SayingFinite()
    {
        using var response = await Http.PostAsync("v2/apps", HostTestSteps.Json("""{"id": "/huge", "cmd": "sleep 1", "cpus": 1e400}"""));

        var (status, _, paths) = await ReadAsync(response);
        Assert.Equal(422, status);
        var cpus = Assert.Single(paths, p => p.Path == "/cpus");
        Assert.Contains(cpus.Errors, e => e.StartsWith("must be a finite number", StringComparison.Ordinal));
    }

    [Fact]
    public async Task PostGroup_WithAppFieldsAtTopLevel_Answers422AndCreatesNoGroup()
    {
        using var response = await Http.PostAsync("v2/groups", HostTestSteps.Json("""{"id": "/web", "cmd": "sleep 1", "instances": 2}"""));

        var (status, _, paths) = await ReadAsync(response);
        Assert.Equal(422, status);
        Assert.Contains(paths, p => p.Path == "/cmd" && p.Errors.Single().Contains("app field", StringComparison.Ordinal));
        Assert.Contains(paths, p => p.Path == "/instances");
        Assert.Equal(404, (int)(await Http.GetAsync("v2/groups/web")).StatusCode);
    }

    [Fact]
    public async Task PostGroup_OwnFieldsAsGetAnswersThem_IsAccepted()
    {
        using var response = await Http.PostAsync("v2/groups", HostTestSteps.Json("""{"id": "/ok", "apps": [{"id": "a", "cmd": "sleep 1", "instances": 0}], "groups": [], "pods": [], "dependencies": [], "enforceRole": false}"""));
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/x-www-form-urlencoded")]
    public async Task PostApp_NotJsonContentType_Answers415(string contentType)
    {
        using var content = new StringContent("""{"id":"/t","cmd":"sleep 1"}""", Encoding.UTF8, contentType);
        using var response = await Http.PostAsync("v2/apps", content);

        var (status, message, _) = await ReadAsync(response);
        Assert.Equal(415, status);
        Assert.Contains(contentType, message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetPods_None_AnswersEmptyList()
    {
        using var response = await Http.GetAsync("v2/pods");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("[]", await response.Content.ReadAsStringAsync());
    }

    [Theory]
    [InlineData("POST", "v2/pods")]
    [InlineData("PUT", "v2/pods/p")]
    public async Task ChangePod_Answers422PodsNotSupported(string method, string url)
    {
        using var response = await Http.SendAsync(new HttpRequestMessage(new HttpMethod(method), url) { Content = HostTestSteps.Json(PodJson) });

        var (status, _, paths) = await ReadAsync(response);
        Assert.Equal(422, status);
        Assert.Contains(paths, p => p.Errors.Any(e => e.StartsWith("pods are not supported", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task PostApp_PodDefinition_Answers422PodsNotSupportedAtContainers()
    {
        using var response = await Http.PostAsync("v2/apps", HostTestSteps.Json(PodJson));

        var (status, _, paths) = await ReadAsync(response);
        Assert.Equal(422, status);
        var only = Assert.Single(paths);
        Assert.Equal("/containers", only.Path);
        Assert.StartsWith("pods are not supported", only.Errors.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostApp_IdLongerThanTaskIdsAllow_Answers422AtIdNamingTheLimit()
    {
        var longest = "/" + new string('a', PathIds.MaxAppIdLength - 1);
        using (var ok = await Http.PostAsync("v2/apps", HostTestSteps.Json($$"""{"id":"{{longest}}","cmd":"sleep 1","instances":0}""")))
        {
            Assert.Equal(HttpStatusCode.Created, ok.StatusCode);
        }

        // The longest id still makes a task id the master takes.
        Assert.True(Minuet.ControlPlane.Scheduler.Launching.TaskBuilder.NewTaskId(longest).Length <= PathIds.MasterTaskIdLimit);

        using var response = await Http.PostAsync("v2/apps", HostTestSteps.Json($$"""{"id":"{{longest}}b","cmd":"sleep 1"}"""));
        var (status, _, paths) = await ReadAsync(response);
        Assert.Equal(422, status);
        var id = Assert.Single(paths);
        Assert.Equal("/id", id.Path);
        Assert.Contains("at most 164", id.Errors.Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostGroup_AppWhoseResolvedIdIsTooLong_Answers422AtThatAppsId()
    {
        var group = "/" + new string('g', 100);
        using var response = await Http.PostAsync("v2/groups", HostTestSteps.Json($$"""{"id":"{{group}}","apps":[{"id":"{{new string('a', 70)}}","cmd":"sleep 1"}]}"""));

        var (status, _, paths) = await ReadAsync(response);
        Assert.Equal(422, status);
        Assert.Equal("/apps/0/id", Assert.Single(paths).Path);
    }

    [Theory]
    [InlineData("GET")]
    [InlineData("DELETE")]
    [InlineData("PUT")]
    public async Task AppPath_TenThousandCharacterId_AnswersMarathonErrorNot414(string method)
    {
        var id = new string('a', 10_000);
        using var request = new HttpRequestMessage(new HttpMethod(method), "v2/apps/" + id);
        if (method == "PUT")
        {
            request.Content = HostTestSteps.Json("""{"cmd":"sleep 1"}""");
        }

        using var response = await Http.SendAsync(request);
        var (status, message, paths) = await ReadAsync(response);
        Assert.Equal(method == "PUT" ? 422 : 404, status);
        if (method == "PUT")
        {
            Assert.Equal("/id", Assert.Single(paths).Path);
        }
        else
        {
            Assert.Contains("does not exist", message, StringComparison.Ordinal);
        }
    }

    private const string PodJson = """{"id": "/p", "containers": [{"name": "c", "exec": {"command": {"shell": "sleep 100"}}, "resources": {"cpus": 0.1, "mem": 32}}]}""";

    private static async Task<(int Status, string? Message, List<(string Path, List<string> Errors)> Details)> ReadAsync(HttpResponseMessage response)
    {
        var text = await response.Content.ReadAsStringAsync();
        using var body = JsonDocument.Parse(text);
        var details = body.RootElement.TryGetProperty("details", out var d)
            ? d.EnumerateArray().Select(x => (x.GetProperty("path").GetString()!, x.GetProperty("errors").EnumerateArray().Select(e => e.GetString()!).ToList())).ToList()
            : [];
        return ((int)response.StatusCode, body.RootElement.GetProperty("message").GetString(), details);
    }
}
