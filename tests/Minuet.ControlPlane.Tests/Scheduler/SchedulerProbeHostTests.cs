using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Minuet.ControlPlane.Master;
using Minuet.ControlPlane.Scheduler;
using Minuet.ControlPlane.Tests.Master;
using static Minuet.ControlPlane.Tests.Scheduler.HostTestSteps;

namespace Minuet.ControlPlane.Tests.Scheduler;

/// <summary>
/// The scheduler's own probes over real sockets on 127.0.0.1 (agent registered at 127.0.0.1, so every probe stays on
/// loopback), plus app version history and the queue delay reset over HTTP.
/// </summary>
public sealed class SchedulerProbeHostTests : IAsyncLifetime, IDisposable
{
    private readonly TestMaster _master = new(time: new ManualTime(DateTimeOffset.UtcNow));
    private readonly CancellationTokenSource _stop = new();
    private SchedulerHost? _host;
    private HttpClient? _http;
    private TcpListener? _listener;
    private string _agent = string.Empty;
    private volatile int _readyStatus = 503;

    private HttpClient Http => _http!;

    public async Task InitializeAsync()
    {
        _agent = _master.RegisterAgent("127.0.0.1");
        _host = SchedulerHost.Create(new SchedulerHostOptions
        {
            MarathonListen = new IPEndPoint(IPAddress.Loopback, 0),
            Master = _master.Core,
            Scheduler = new SchedulerOptions { ProbeInterval = TimeSpan.FromMilliseconds(50) },
        });
        await _host.StartAsync();
        _http = new HttpClient { BaseAddress = _host.BaseAddress, Timeout = TimeSpan.FromSeconds(20) };
        await WaitAsync(() => Task.FromResult(_host.Core.FrameworkId is not null));
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener?.Stop();
        _http?.Dispose();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

    }

    public void Dispose()
    {
        _http?.Dispose();
        _stop.Dispose();
    }

    [Fact]
    public async Task Deployment_TcpCheckAndReadiness_WaitsForReadyAnswerFromTheTask()
    {
        int port = StartServer();
        using var created = await Http.PostAsync("v2/apps", Json($$"""
            {"id":"/ready","cmd":"sleep 100","cpus":0.1,"mem":32,"requirePorts":true,
             "portDefinitions":[{"port":{{port}},"name":"api"}],
             "healthChecks":[{"protocol":"MESOS_TCP"},{"protocol":"TCP","gracePeriodSeconds":0,"intervalSeconds":1,"timeoutSeconds":1}],
             "readinessChecks":[{"name":"warm","path":"/ready","portName":"api","intervalSeconds":1,"timeoutSeconds":0.5,"preserveLastResponse":true}]}
            """));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var task = await LaunchedTaskAsync(_master, 1);
        Report(_master, _agent, task, TaskState.Running, healthy: true, ip: "127.0.0.1");

        // The scheduler's TCP check reaches the server: both checks pass, so the task is healthy.
        await WaitAsync(async () => (await AppAsync(Http, "ready")).GetProperty("tasksHealthy").GetInt32() == 1);
        var results = (await AppAsync(Http, "ready")).GetProperty("tasks")[0].GetProperty("healthCheckResults");
        Assert.Equal(2, results.GetArrayLength());

        // Readiness answers 503: the deployment stays, showing the last response.
        await WaitAsync(async () => (await Http.GetStringAsync("v2/deployments")).Contains("\"status\":503", StringComparison.Ordinal));
        var deployments = await Http.GetFromJsonAsync<JsonElement>("v2/deployments");
        var readiness = deployments[0].GetProperty("currentActions")[0].GetProperty("readinessCheckResults")[0];
        Assert.False(readiness.GetProperty("ready").GetBoolean());
        Assert.Equal("warm", readiness.GetProperty("name").GetString());
        Assert.Equal("status 503", readiness.GetProperty("lastResponse").GetProperty("body").GetString());

        _readyStatus = 200;
        await WaitAsync(async () => (await Http.GetStringAsync("v2/deployments")) == "[]");
    }

    [Fact]
    public async Task Versions_ListAndFetch_KeepEveryDefinition()
    {
        using var created = await Http.PostAsync("v2/apps", Json("""{"id":"/v/app","cmd":"sleep 100","cpus":0.1,"mem":32}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        using var changed = await Http.PutAsync("v2/apps/v/app?force=true", Json("""{"cmd":"sleep 200"}"""));
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);

        var versions = (await Http.GetFromJsonAsync<JsonElement>("v2/apps/v/app/versions")).GetProperty("versions").EnumerateArray().Select(v => v.GetString()!).ToList();
        Assert.Equal(2, versions.Count);
        var newest = await Http.GetFromJsonAsync<JsonElement>("v2/apps/v/app/versions/" + versions[0]);
        var oldest = await Http.GetFromJsonAsync<JsonElement>("v2/apps/v/app/versions/" + versions[1]);
        Assert.Equal("sleep 200", newest.GetProperty("cmd").GetString());
        Assert.Equal("sleep 100", oldest.GetProperty("cmd").GetString());
        Assert.Equal(versions[1], oldest.GetProperty("version").GetString());

        using var missing = await Http.GetAsync("v2/apps/v/app/versions/2001-01-01T00:00:00.000Z");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        using var garbage = await Http.GetAsync("v2/apps/v/app/versions/yesterday");
        Assert.Equal(HttpStatusCode.BadRequest, garbage.StatusCode);
    }

    [Fact]
    public async Task QueueDelay_Delete_ResetsBackoffSoTheNextLaunchIsImmediate()
    {
        using var created = await Http.PostAsync("v2/apps", Json("""{"id":"/crash","cmd":"false","cpus":0.1,"mem":32,"backoffSeconds":600}"""));
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var first = await LaunchedTaskAsync(_master, 1);
        Report(_master, _agent, first, TaskState.Failed, ip: "127.0.0.1");
        await WaitAsync(async () => (await Http.GetStringAsync("v2/queue")).Contains("\"overdue\":false", StringComparison.Ordinal));

        using var reset = await Http.DeleteAsync("v2/queue/crash/delay");
        Assert.Equal(HttpStatusCode.NoContent, reset.StatusCode);
        await LaunchedTaskAsync(_master, 2);

        using var unknown = await Http.DeleteAsync("v2/queue/nope/delay");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }

    /// <summary>A tiny HTTP server on 127.0.0.1 in the agent's port range: /ready answers <see cref="_readyStatus"/>.</summary>
    private int StartServer()
    {
        for (int port = 31000; port <= 32000; port++)
        {
            var listener = new TcpListener(IPAddress.Loopback, port);
            try
            {
                listener.Start();
            }
            catch (SocketException)
            {
                continue;
            }

            _listener = listener;
            _ = Task.Run(() => ServeAsync(listener, _stop.Token));
            return port;
        }

        throw new InvalidOperationException("no free port in 31000-32000 on 127.0.0.1");
    }

    private async Task ServeAsync(TcpListener listener, CancellationToken cancellationToken)
    {
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                using var client = await listener.AcceptTcpClientAsync(cancellationToken);
                var stream = client.GetStream();
                var buffer = new byte[2048];
                int read = await stream.ReadAsync(buffer, cancellationToken);
                if (read == 0)
                {
                    continue;
                }

                int status = _readyStatus;
                var body = $"status {status}";
                var reply = $"HTTP/1.1 {status} X\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n{body}";
                await stream.WriteAsync(Encoding.ASCII.GetBytes(reply), cancellationToken);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or IOException)
        {
            // Stopped.
        }
    }
}
