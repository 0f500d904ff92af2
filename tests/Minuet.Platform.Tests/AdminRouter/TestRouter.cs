using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging.Abstractions;
using Minuet.Platform.AdminRouter;

namespace Minuet.Platform.Tests.AdminRouter;

/// <summary>
/// An Admin Router on a free loopback port in front of fake upstreams: a master (no <c>/master/redirect</c>, as
/// before HA), Marathon (apps from <see cref="MarathonApps"/>, an event stream the test can push to), cosmos, the
/// DNS API and a task. Each test gets its own.
/// </summary>
internal sealed class TestRouter : IAsyncDisposable
{
    private readonly string _dir;
    private readonly List<HttpResponse> _eventStreams = [];

    private TestRouter(string dir, FakeUpstream master, FakeUpstream marathon, FakeUpstream cosmos, FakeUpstream dns, FakeUpstream task)
    {
        _dir = dir;
        Master = master;
        Marathon = marathon;
        Cosmos = cosmos;
        Dns = dns;
        Task = task;
    }

    public FakeUpstream Master { get; }

    public FakeUpstream Marathon { get; }

    public FakeUpstream Cosmos { get; }

    public FakeUpstream Dns { get; }

    public FakeUpstream Task { get; }

    public AdminRouterHost Host { get; private set; } = null!;

    public ManualTime Time { get; } = new();

    public HttpClient Client { get; } = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false }) { Timeout = TimeSpan.FromSeconds(30) };

    public string StateDir => _dir;

    /// <summary>Marathon's <c>/v2/apps</c> answer (apps with labels and tasks).</summary>
    public volatile string MarathonApps = "{\"apps\":[]}";

    /// <summary>The master's <c>/master/state</c> answer.</summary>
    public volatile string MasterState = "{\"frameworks\":[]}";

    public static async Task<TestRouter> StartAsync(Func<AdminRouterOptions, AdminRouterOptions>? configure = null, Uri? cosmosOverride = null)
    {
        string dir = Path.Combine(Path.GetTempPath(), "minuet-ar-test-" + Guid.NewGuid().ToString("N")[..8]);
        var router = new TestRouter(dir, await FakeUpstream.StartAsync(), await FakeUpstream.StartAsync(), await FakeUpstream.StartAsync(), await FakeUpstream.StartAsync(), await FakeUpstream.StartAsync());
        router.Master.Handler = router.MasterAsync;
        router.Marathon.Handler = router.MarathonAsync;
        var options = new AdminRouterOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            Masters = [router.Master.Url],
            Marathon = router.Marathon.Url,
            Cosmos = cosmosOverride ?? router.Cosmos.Url,
            DnsApi = router.Dns.Url,
            StateDir = dir,
            PasswordIterations = 1_000,
            ServicePollInterval = TimeSpan.FromMinutes(10), // only events refresh the cache in tests
            ConnectTimeout = TimeSpan.FromSeconds(2),
        };
        options = configure?.Invoke(options) ?? options;
        router.Host = AdminRouterHost.Create(options, NullLoggerFactory.Instance, router.Time, out string? error) ?? throw new InvalidOperationException(error);
        long before = router.Host.Cache.Refreshes;
        await router.Host.StartAsync(CancellationToken.None);
        router.Client.BaseAddress = router.Host.Address;
        await router.WaitForRefreshAsync(before);
        return router;
    }

    /// <summary>Waits until the service cache completed a rebuild after <paramref name="after"/> rebuilds.</summary>
    public async Task WaitForRefreshAsync(long after)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnRefreshed()
        {
            if (Host.Cache.Refreshes > after)
            {
                done.TrySetResult();
            }
        }

        Host.Cache.Refreshed += OnRefreshed;
        OnRefreshed();
        try
        {
            await done.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            Host.Cache.Refreshed -= OnRefreshed;
        }
    }

    /// <summary>Waits, rebuild by rebuild, until <paramref name="condition"/> holds of the service cache.</summary>
    public async Task WaitForCacheAsync(Func<Minuet.Platform.AdminRouter.Services.ServiceSnapshot, bool> condition)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        void Check()
        {
            if (condition(Host.Cache.Current))
            {
                done.TrySetResult();
            }
        }

        Host.Cache.Refreshed += Check;
        Check();
        try
        {
            await done.Task.WaitAsync(TimeSpan.FromSeconds(20));
        }
        finally
        {
            Host.Cache.Refreshed -= Check;
        }
    }

    /// <summary>Sends one SSE event to every subscriber of the fake Marathon's <c>/v2/events</c>.</summary>
    public async Task PushEventAsync(string type)
    {
        HttpResponse[] streams;
        lock (_eventStreams)
        {
            streams = [.. _eventStreams];
        }

        foreach (var stream in streams)
        {
            await stream.WriteAsync($"event: {type}\ndata: {{}}\n\n");
            await stream.Body.FlushAsync();
        }
    }

    public int EventSubscribers
    {
        get
        {
            lock (_eventStreams)
            {
                return _eventStreams.Count;
            }
        }
    }

    /// <summary>A token the router accepts, minted with its own key.</summary>
    public string Token(string uid = "alice") => Host.Issuer.Issue(uid);

    public static HttpRequestMessage Get(string path, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path);
        if (token is not null)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "token=" + token);
        }

        return request;
    }

    /// <summary>True when some upstream saw a request whose target starts with <paramref name="prefix"/>.</summary>
    public bool AnyUpstreamSaw(string prefix) =>
        new[] { Master, Marathon, Cosmos, Dns, Task }.Any(u => u.Seen.Any(s => s.Target.StartsWith(prefix, StringComparison.Ordinal)));

    /// <summary>Sends raw bytes (for targets HttpClient would normalise) and returns the status code.</summary>
    public async Task<int> RawStatusAsync(string target, string? token = null)
    {
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync(Host.Address.Host, Host.Address.Port);
        var stream = tcp.GetStream();
        string request = $"GET {target} HTTP/1.1\r\nHost: localhost\r\n{(token is null ? string.Empty : "Authorization: token=" + token + "\r\n")}Connection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request));
        using var reader = new StreamReader(stream);
        string? status = await reader.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(20));
        return int.Parse(status!.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await Host.DisposeAsync();
        foreach (var upstream in new[] { Master, Marathon, Cosmos, Dns, Task })
        {
            await upstream.DisposeAsync();
        }

        try
        {
            Directory.Delete(_dir, recursive: true);
        }
        catch (IOException)
        {
            // a leftover temp dir is harmless
        }
    }

    private Task MasterAsync(HttpContext context) => context.Request.Path.Value switch
    {
        "/master/redirect" => NotFoundAsync(context),
        "/master/state" => context.Response.WriteAsync(MasterState),
        _ => context.Response.WriteAsync("master:" + context.Request.Path + context.Request.QueryString),
    };

    private async Task MarathonAsync(HttpContext context)
    {
        switch (context.Request.Path.Value)
        {
            case "/v2/apps" when context.Request.Query.ContainsKey("label"):
                await context.Response.WriteAsync(MarathonApps);
                break;
            case "/v2/events" when context.Request.Headers.Accept.ToString().Contains("text/event-stream", StringComparison.Ordinal) && context.Request.Headers.Authorization.Count == 0:
                // The router's own subscription (clients through the router carry a token).
                context.Response.ContentType = "text/event-stream";
                await context.Response.WriteAsync("event: event_stream_attached\ndata: {}\n\n");
                await context.Response.Body.FlushAsync();
                lock (_eventStreams)
                {
                    _eventStreams.Add(context.Response);
                }

                try
                {
                    await System.Threading.Tasks.Task.Delay(Timeout.Infinite, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                }
                finally
                {
                    lock (_eventStreams)
                    {
                        _eventStreams.Remove(context.Response);
                    }
                }

                break;
            default:
                await context.Response.WriteAsync("marathon:" + context.Request.Path + context.Request.QueryString);
                break;
        }
    }

    private static Task NotFoundAsync(HttpContext context)
    {
        context.Response.StatusCode = 404;
        return System.Threading.Tasks.Task.CompletedTask;
    }
}
