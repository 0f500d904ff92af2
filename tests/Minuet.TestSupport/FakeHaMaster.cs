using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Minuet.TestSupport;

/// <summary>
/// One master of an HA cluster as its followers see it, on 127.0.0.1 (port picked by the kernel), playing the
/// contract ha-core's masters implement: leading, it answers <c>GET /master/redirect</c> with a 307 to itself and
/// everything else with <see cref="Serve"/> or by forwarding to <see cref="ProxyTo"/> (a real master behind it);
/// standing by (<see cref="RedirectTo"/>), it answers every request 307 <c>//leader&lt;same path&gt;</c>; with no
/// leader (<see cref="NoLeader"/>) it answers 503 <c>{"code":"no_leader"}</c>. Tests flip these at will.
/// </summary>
public sealed class FakeHaMaster : IAsyncDisposable
{
    private static readonly HttpClient Forwarder = new(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(30) };
    private readonly WebApplication _app;
    private int _redirectProbes;
    private int _requests;

    private FakeHaMaster(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary><c>http://127.0.0.1:port/</c>.</summary>
    public Uri BaseUrl { get; }

    /// <summary><c>127.0.0.1:port</c>.</summary>
    public string Authority => BaseUrl.Authority;

    /// <summary>Set: a standby naming this <c>ip:port</c> as the leader.</summary>
    public string? RedirectTo { get; set; }

    /// <summary>True: a standby that knows no leader (election pending).</summary>
    public bool NoLeader { get; set; }

    /// <summary>A long poll (<c>?wait_secs=</c>) is answered as if elected meanwhile: a leader still loading its state.</summary>
    public bool LeadsOnceWaitedOn { get; set; }

    /// <summary>A long poll (<c>?wait_secs=</c>) is answered with a 307 here: the election this standby saw.</summary>
    public string? RedirectWhenWaitedOnTo { get; set; }

    /// <summary>While leading: answers any request but <c>/master/redirect</c>.</summary>
    public Func<HttpContext, Task>? Serve { get; set; }

    /// <summary>While leading and without <see cref="Serve"/>: the real master every request is forwarded to.</summary>
    public Uri? ProxyTo { get; set; }

    /// <summary>How many times <c>/master/redirect</c> was asked.</summary>
    public int RedirectProbes => Volatile.Read(ref _redirectProbes);

    /// <summary>Requests other than <c>/master/redirect</c>.</summary>
    public int Requests => Volatile.Read(ref _requests);

    /// <summary>Method and path of every request other than <c>/master/redirect</c>, in arrival order.</summary>
    public System.Collections.Concurrent.ConcurrentQueue<string> Calls { get; } = new();

    public static async Task<FakeHaMaster> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        FakeHaMaster? master = null;
        app.Run(context => master!.AnswerAsync(context));
        await app.StartAsync();
        master = new FakeHaMaster(app, new Uri(new Uri(app.Urls.First()).GetLeftPart(UriPartial.Authority) + "/"));
        return master;
    }

    private async Task AnswerAsync(HttpContext context)
    {
        bool probe = context.Request.Path == "/master/redirect";
        if (probe)
        {
            Interlocked.Increment(ref _redirectProbes);
        }
        else
        {
            Interlocked.Increment(ref _requests);
            Calls.Enqueue(context.Request.Method + " " + context.Request.Path);
        }

        bool waited = probe && context.Request.Query.ContainsKey("wait_secs");
        bool noLeader = NoLeader && !(waited && LeadsOnceWaitedOn);
        string? redirectTo = waited && RedirectWhenWaitedOnTo is { } elected ? elected : RedirectTo;

        // As Minuet masters do on every answer.
        context.Response.Headers["X-Minuet-Role"] = noLeader || redirectTo is not null ? "standby" : "leader";
        if (noLeader)
        {
            context.Response.StatusCode = 503;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync("{\"code\":\"no_leader\",\"message\":\"no leading master is known\"}");
            return;
        }

        string? leader = redirectTo ?? (probe ? Authority : null);
        if (leader is not null)
        {
            context.Response.StatusCode = 307;
            context.Response.Headers.Location = "//" + leader + (probe ? string.Empty : context.Request.Path.ToString() + context.Request.QueryString);
            return;
        }

        if (Serve is { } serve)
        {
            await serve(context);
            return;
        }

        if (ProxyTo is { } target)
        {
            await ForwardAsync(context, target);
            return;
        }

        context.Response.StatusCode = 404;
    }

    private static async Task ForwardAsync(HttpContext context, Uri target)
    {
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(target, context.Request.Path.ToString() + context.Request.QueryString));
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        if (body.Length > 0)
        {
            request.Content = new ByteArrayContent(body.ToArray());
            if (context.Request.ContentType is { } type)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", type);
            }
        }

        using var response = await Forwarder.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, context.RequestAborted);
        context.Response.StatusCode = (int)response.StatusCode;
        if (response.Content.Headers.ContentType is { } contentType)
        {
            context.Response.ContentType = contentType.ToString();
        }

        await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
    }

    public async ValueTask DisposeAsync() => await _app.DisposeAsync();
}
