using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Minuet.Platform.AdminRouter.Auth;
using Minuet.Platform.AdminRouter.Hosting;
using Minuet.Platform.AdminRouter.Routing;
using Minuet.Platform.AdminRouter.Services;
using Minuet.Platform.AdminRouter.Users;
using Yarp.ReverseProxy.Forwarder;

namespace Minuet.Platform.AdminRouter;

/// <summary>
/// Admin Router as one Kestrel server: builds the pieces (keys, users, leader follower, service cache, dispatcher),
/// starts listening and the cache's refresh loops, and stops them.
/// </summary>
internal sealed class AdminRouterHost : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly HttpMessageInvoker _upstreams;
    private readonly HttpClient _lookups;
    private readonly CancellationTokenSource _stop = new();
    private Task _background = Task.CompletedTask;

    private readonly MasterLeader _leader;

    private AdminRouterHost(WebApplication app, HttpMessageInvoker upstreams, HttpClient lookups, MasterLeader leader, ServiceCache cache, MarathonEventWatcher watcher, UserStore users, TokenIssuer issuer)
    {
        _app = app;
        _leader = leader;
        _upstreams = upstreams;
        _lookups = lookups;
        Cache = cache;
        Watcher = watcher;
        Users = users;
        Issuer = issuer;
    }

    public ServiceCache Cache { get; }

    public UserStore Users { get; }

    public TokenIssuer Issuer { get; }

    private MarathonEventWatcher Watcher { get; }

    /// <summary>The address Kestrel bound (the real port when asked for port 0).</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1/");

    public static AdminRouterHost? Create(AdminRouterOptions options, ILoggerFactory loggers, TimeProvider time, out string? error)
    {
        var keys = TokenKeys.Load(options.KeyDir, options.AuthSecretFile, out error);
        if (keys is null)
        {
            return null;
        }

        var log = loggers.CreateLogger("Minuet.AdminRouter");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton<IHostLifetime, NoSignalLifetime>();
        builder.Services.AddHttpForwarder();
        JwtSetup.Add(builder.Services, keys, time);
        builder.WebHost.UseKestrel(k =>
        {
            k.Listen(options.Listen);
            k.AddServerHeader = false;
        });
        var app = builder.Build();

        var upstreams = new HttpMessageInvoker(new SocketsHttpHandler
        {
            UseProxy = false,
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            ConnectTimeout = options.ConnectTimeout,
            EnableMultipleHttp2Connections = true,
            ActivityHeadersPropagator = null,
        });
        var lookups = new HttpClient(new SocketsHttpHandler { UseProxy = false, AllowAutoRedirect = false, UseCookies = false, ConnectTimeout = options.ConnectTimeout })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        var leader = new MasterLeader(options.Masters, lookups, time);
        var cache = new ServiceCache(options.Marathon, leader, lookups, time, options.ServicePollInterval, log);
        var watcher = new MarathonEventWatcher(options.Marathon, lookups, cache, log);
        var users = new UserStore(options.KeyDir, options.PasswordIterations);
        var issuer = new TokenIssuer(keys, time, options.TokenLifetime);
        var acs = new AcsApi(users, new LoginThrottle(time), issuer);
        var dispatcher = new Dispatcher(options, app.Services.GetRequiredService<IHttpForwarder>(), upstreams, lookups, leader, cache, acs, new ValidatedTokens(time), time, log);
        app.Run(dispatcher.HandleAsync);
        return new AdminRouterHost(app, upstreams, lookups, leader, cache, watcher, users, issuer);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        string bound = _app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        Address = new Uri(bound.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).TrimEnd('/') + "/");
        _background = Task.WhenAll(Cache.RunAsync(_stop.Token), Watcher.RunAsync(_stop.Token));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await _app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await _background.ConfigureAwait(false);
        }
        finally
        {
            await _app.DisposeAsync().ConfigureAwait(false);
            _upstreams.Dispose();
            Cache.Dispose();
            _leader.Dispose();
            _lookups.Dispose();
            _stop.Dispose();
        }
    }
}
