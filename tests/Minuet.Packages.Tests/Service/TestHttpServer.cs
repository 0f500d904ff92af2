using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Minuet.Packages.Tests.Service;

/// <summary>A small HTTP server on 127.0.0.1 (port 0) answering set paths with set bodies, counting requests and keeping their headers.</summary>
internal sealed class TestHttpServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, (int Status, string ContentType, string Body)> _routes = new(StringComparer.Ordinal);

    private TestHttpServer(WebApplication app) => _app = app;

    public ConcurrentDictionary<string, int> Hits { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, string> LastAccept { get; } = new(StringComparer.Ordinal);

    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1/");

    public static async Task<TestHttpServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var server = new TestHttpServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.BaseAddress = new Uri(app.Urls.First() + "/");
        return server;
    }

    public string Url(string path) => new Uri(BaseAddress, path.TrimStart('/')).ToString();

    public void Serve(string path, int status, string contentType, string body) => _routes[path] = (status, contentType, body);

    private async Task HandleAsync(HttpContext context)
    {
        string path = context.Request.Path.Value ?? "/";
        Hits.AddOrUpdate(path, 1, (_, n) => n + 1);
        LastAccept[path] = context.Request.Headers.Accept.ToString();
        if (!_routes.TryGetValue(path, out var route))
        {
            context.Response.StatusCode = 404;
            return;
        }

        context.Response.StatusCode = route.Status;
        context.Response.ContentType = route.ContentType;
        await context.Response.WriteAsync(route.Body);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
