using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Minuet.ControlPlane.Agent;
using Minuet.ControlPlane.Agent.Configuration;
using Minuet.ControlPlane.Agent.Runtime;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Protocol;
using Minuet.ControlPlane.Tests.Api;

namespace Minuet.ControlPlane.Tests.MesosApi;

/// <summary>
/// A master (state in memory) and one real agent on 127.0.0.1 with random ports, for the Mesos v1 API tests. The
/// agent's work dir is removed on disposal; disposing the agent ends its executors, and task process groups are
/// killed by pid.
/// </summary>
internal sealed class MesosCluster : IAsyncDisposable
{
    private readonly string _root;

    private MesosCluster(MasterHost master, AgentHost agent, string root)
    {
        _root = root;
        Master = master;
        Agent = agent;
        Http.BaseAddress = master.BaseAddress;
        AgentHttp.BaseAddress = new Uri($"http://127.0.0.1:{agent.Port}/");
    }

    public MasterHost Master { get; }

    public AgentHost Agent { get; }

    public HttpClient Http { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public HttpClient AgentHttp { get; } = new() { Timeout = TimeSpan.FromSeconds(30) };

    public string Root => _root;

    public string AgentId => Agent.Runtime.AgentId!;

    public static async Task<MesosCluster> StartAsync(TimeSpan? executorRegistrationTimeout = null)
    {
        var master = MasterHost.Create(new IPEndPoint(IPAddress.Loopback, 0), null,
            new MasterOptions { AdvertiseIp = "127.0.0.1", Port = 5050, Hostname = "master-test", AllocationInterval = TimeSpan.FromMilliseconds(100) });
        await master.StartAsync();
        string root = Path.Combine(Path.GetTempPath(), "minuet-mesosapi-" + Guid.NewGuid().ToString("N")[..10]);
        var (agent, error) = await AgentHost.StartAsync(new AgentHostOptions
        {
            Master = master.BaseAddress,
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            AdvertiseIp = "127.0.0.1",
            Resources = new AgentResources(new ResourceSet { Cpus = 2, Mem = 1024, Disk = 1000, Ports = [new(31000, 31009)] }, new Dictionary<string, ResourceSet>()),
            Attributes = new Dictionary<string, string> { ["rack"] = "r1" },
            Runtime = new AgentRuntimeOptions
            {
                WorkDir = Path.Combine(root, "agent"),
                Hostname = "agent-test",
                Address = "127.0.0.1",
                CgroupRoot = null,
                DefaultKillGrace = TimeSpan.FromSeconds(1),
                StatusRetryInitial = TimeSpan.FromMilliseconds(50),
                StatusRetryMax = TimeSpan.FromMilliseconds(500),
                ExecutorRegistrationTimeout = executorRegistrationTimeout ?? TimeSpan.FromSeconds(30),
            },
        });
        Assert.True(agent is not null, error);
        await agent.Connection.WhenRegisteredAsync(new CancellationTokenSource(TimeSpan.FromSeconds(20)).Token);
        return new MesosCluster(master, agent, root);
    }

    /// <summary>POST a v1 call with <c>Content-Type: application/json</c>.</summary>
    public static async Task<HttpResponseMessage> CallAsync(HttpClient http, string path, string json, string? accept = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        if (accept is not null)
        {
            request.Headers.TryAddWithoutValidation("Accept", accept);
        }

        return await http.SendAsync(request);
    }

    /// <summary>A v1 call's JSON answer (asserting 200).</summary>
    public static async Task<JsonElement> GetAsync(HttpClient http, string path, string type)
    {
        using var response = await CallAsync(http, path, $$"""{"type":"{{type}}"}""");
        string body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{type}: {(int)response.StatusCode} {body}");
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonDocument.Parse(body).RootElement.Clone();
    }

    /// <summary>Subscribes a framework through the master's framework API; returns its id and event reader.</summary>
    public async Task<(string FrameworkId, NdjsonReader Events)> SubscribeFrameworkAsync(string name = "fw")
    {
        var events = await NdjsonReader.OpenAsync(Http, new HttpRequestMessage(HttpMethod.Post, "/api/v1/scheduler/subscribe")
        {
            Content = new StringContent($$"""{"name":"{{name}}","role":"*","hostname":"127.0.0.1"}""", Encoding.UTF8, "application/json"),
        });
        var subscribed = await events.NextAsync();
        return (subscribed.GetProperty("subscribed").GetProperty("framework_id").GetString()!, events);
    }

    /// <summary>Waits for an offer and launches one task spec (JSON object) on it.</summary>
    public async Task LaunchAsync(string frameworkId, NdjsonReader events, string taskSpecJson)
    {
        var offers = await events.NextAsync(e => e.GetProperty("type").GetString() == "OFFERS");
        string offerId = offers.GetProperty("offers")[0].GetProperty("id").GetString()!;
        using var content = new StringContent($$"""{"framework_id":"{{frameworkId}}","offer_ids":["{{offerId}}"],"tasks":[{{taskSpecJson}}],"filters":{"refuse_seconds":0} }""", Encoding.UTF8, "application/json");
        using var accept = await Http.PostAsync("/api/v1/scheduler/accept", content);
        Assert.Equal(HttpStatusCode.Accepted, accept.StatusCode);
    }

    /// <summary>The next framework UPDATE for a task (acknowledged so the next one flows).</summary>
    public async Task<JsonElement> NextUpdateAsync(string frameworkId, NdjsonReader events, string taskId)
    {
        var update = (await events.NextAsync(e => e.GetProperty("type").GetString() == "UPDATE"
            && e.GetProperty("update").GetProperty("task_id").GetString() == taskId)).GetProperty("update");
        if (update.TryGetProperty("uuid", out var uuid))
        {
            using var content = new StringContent($$"""{"framework_id":"{{frameworkId}}","task_id":"{{taskId}}","uuid":"{{uuid.GetString()}}"}""", Encoding.UTF8, "application/json");
            using var ack = await Http.PostAsync("/api/v1/scheduler/acknowledge", content);
        }

        return update;
    }

    /// <summary>Acknowledges every UPDATE (of any task) until each of <paramref name="taskIds"/> has reached <paramref name="state"/>.</summary>
    public async Task WaitForStateAsync(string frameworkId, NdjsonReader events, string state, params string[] taskIds)
    {
        var pending = new HashSet<string>(taskIds, StringComparer.Ordinal);
        while (pending.Count > 0)
        {
            var update = (await events.NextAsync(e => e.GetProperty("type").GetString() == "UPDATE")).GetProperty("update");
            string taskId = update.GetProperty("task_id").GetString()!;
            if (update.TryGetProperty("uuid", out var uuid))
            {
                using var content = new StringContent($$"""{"framework_id":"{{frameworkId}}","task_id":"{{taskId}}","uuid":"{{uuid.GetString()}}"}""", Encoding.UTF8, "application/json");
                using var ack = await Http.PostAsync("/api/v1/scheduler/acknowledge", content);
            }

            if (update.GetProperty("state").GetString() == state)
            {
                pending.Remove(taskId);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        // Tasks go first (by pid, never by name): a stopping agent then has no live task to wait for.
        var pids = Agent.Runtime.ReportTasks().Select(t => Agent.Runtime.TaskPid(t.Launch.TaskId)).OfType<int>().ToList();
        foreach (int pid in pids)
        {
            Minuet.ControlPlane.Agent.Processes.AgentInterop.Kill(-pid, Minuet.ControlPlane.Agent.Processes.AgentInterop.SIGKILL);
        }

        await Agent.DisposeAsync();
        await Master.DisposeAsync();

        Http.Dispose();
        AgentHttp.Dispose();
        try
        {
            Directory.Delete(_root, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
