using System.Net;
using System.Text;
using System.Text.Json;
using Minuet.Platform.Jobs;

namespace Minuet.Jobs.Tests;

/// <summary>
/// Both APIs over HTTP on a real Kestrel, with no master reachable (the service keeps its API while the master is
/// away; runs wait for offers).
/// </summary>
public sealed class ApiTests : IAsyncLifetime, IDisposable
{
    private readonly TempDir _dir = new();
    private JobsHost _host = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _host = JobsHost.Create(new JobsHostOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            ChronosListen = null,
            Masters = [new Uri("http://127.0.0.1:1")],
            StateDir = _dir.Path,
        });
        await _host.StartAsync();
        _http = new HttpClient { BaseAddress = _host.Addresses[0] };
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public void Dispose()
    {
        _http?.Dispose();
        _dir.Dispose();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body)> SendAsync(HttpMethod method, string path, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, contentType);
        }

        using var response = await _http.SendAsync(request);
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    [Fact]
    public async Task Jobs_CreateRunEmbedStop_MetronomeShapes()
    {
        var created = await SendAsync(HttpMethod.Post, "v1/jobs", """{"id":"nightly.backup","run":{"cmd":"echo hi","cpus":0.1,"mem":32,"disk":0},"schedules":[{"id":"n","cron":"30 2 * * *","timezone":"Europe/Berlin"}]}""");
        Assert.Equal(HttpStatusCode.Created, created.Status);
        Assert.Equal("nightly.backup", created.Body.GetProperty("id").GetString());
        Assert.Equal("30 2 * * *", created.Body.GetProperty("schedules")[0].GetProperty("cron").GetString());

        Assert.Equal(HttpStatusCode.Conflict, (await SendAsync(HttpMethod.Post, "v1/jobs", """{"id":"nightly.backup","run":{"cmd":"x","cpus":0.1,"mem":32,"disk":0}}""")).Status);

        var run = await SendAsync(HttpMethod.Post, "v1/jobs/nightly.backup/runs", "{}");
        Assert.Equal(HttpStatusCode.Created, run.Status);
        string runId = run.Body.GetProperty("id").GetString()!;
        Assert.Equal("INITIAL", run.Body.GetProperty("status").GetString());
        Assert.Matches("^[0-9]{14}[A-Z0-9]{5}$", runId);

        var listed = await SendAsync(HttpMethod.Get, "v1/jobs?embed=activeRuns&embed=history");
        var job = Assert.Single(listed.Body.EnumerateArray());
        Assert.Equal(runId, Assert.Single(job.GetProperty("activeRuns").EnumerateArray()).GetProperty("id").GetString());
        Assert.Equal(0, job.GetProperty("history").GetProperty("successCount").GetInt32());

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Post, $"v1/jobs/nightly.backup/runs/{runId}/actions/stop")).Status);
        var stopped = await SendAsync(HttpMethod.Get, $"v1/jobs/nightly.backup/runs/{runId}");
        Assert.Equal("FAILED", stopped.Body.GetProperty("status").GetString());
        Assert.Equal("stopped on request", stopped.Body.GetProperty("reason").GetString());

        var history = await SendAsync(HttpMethod.Get, "v1/jobs/nightly.backup?embed=history");
        Assert.Equal(1, history.Body.GetProperty("history").GetProperty("failureCount").GetInt32());
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Delete, "v1/jobs/nightly.backup")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "v1/jobs/nightly.backup")).Status);
    }

    [Fact]
    public async Task Jobs_BadCron_422NamingFieldAndNothingStored()
    {
        var refused = await SendAsync(HttpMethod.Post, "v1/jobs", """{"id":"bad","run":{"cmd":"x","cpus":0.1,"mem":32,"disk":0},"schedules":[{"cron":"0 0 2 * * *","timezone":"Mars/Base"}]}""");
        Assert.Equal((HttpStatusCode)422, refused.Status);
        var paths = refused.Body.GetProperty("details").EnumerateArray().Select(d => d.GetProperty("path").GetString()).ToList();
        Assert.Contains("/schedules/0/timezone", paths);
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "v1/jobs/bad")).Status);
    }

    [Fact]
    public async Task Chronos_CurlStylePost_StoredAndListedAndGraphed()
    {
        // curl -d sends application/x-www-form-urlencoded; Chronos's users rely on it being read as JSON.
        var posted = await SendAsync(HttpMethod.Post, "v1/scheduler/iso8601", """{"name":"x","command":"date","schedule":"R/2026-01-01T00:00:00Z/PT1M"}""", "application/x-www-form-urlencoded");
        Assert.Equal(HttpStatusCode.NoContent, posted.Status);
        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Post, "v1/scheduler/dependency", """{"name":"y","command":"date","parents":["x"]}""")).Status);

        var job = await SendAsync(HttpMethod.Get, "v1/scheduler/job/x");
        Assert.Equal("R/2026-01-01T00:00:00Z/PT1M", job.Body.GetProperty("schedule").GetString());
        var found = await SendAsync(HttpMethod.Get, "v1/scheduler/jobs/search?name=y");
        Assert.Equal(["x"], Assert.Single(found.Body.EnumerateArray()).GetProperty("parents").EnumerateArray().Select(p => p.GetString()));

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(HttpMethod.Put, "v1/scheduler/job/success/x")).Status);
        string csv = await _http.GetStringAsync("v1/scheduler/graph/csv");
        Assert.Equal("node,x,success,idle\nnode,y,fresh,queued\nlink,x,y\n", csv);
    }

    [Fact]
    public async Task Chronos_BadIntervalOrUnknownParent_422NamingField()
    {
        var bad = await SendAsync(HttpMethod.Post, "v1/scheduler/iso8601", """{"name":"x","command":"date","schedule":"R/2026-01-01T00:00:00Z/PXT1M"}""");
        Assert.Equal((HttpStatusCode)422, bad.Status);
        Assert.Equal("/schedule", bad.Body.GetProperty("details")[0].GetProperty("path").GetString());

        var orphan = await SendAsync(HttpMethod.Post, "v1/scheduler/dependency", """{"name":"child","command":"date","parents":["nobody"]}""");
        Assert.Equal((HttpStatusCode)422, orphan.Status);
        Assert.Equal("/parents/0", orphan.Body.GetProperty("details")[0].GetProperty("path").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync(HttpMethod.Get, "v1/scheduler/job/child")).Status);
    }
}
