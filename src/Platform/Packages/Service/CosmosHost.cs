using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Minuet.Platform.Packages.Build;
using Minuet.Platform.Packages.Marathon;
using Minuet.Platform.Packages.Repositories;
using Minuet.Platform.Packages.Rendering;

namespace Minuet.Platform.Packages.Service;

/// <summary>
/// The package service: Cosmos's API on Kestrel, the repository list and cache, and (with a local Universe) its
/// index at <c>GET /repo</c>, listed first as <c>local-universe</c>. Used by <c>minuet cosmos</c> and tests.
/// </summary>
internal sealed class CosmosHost : IAsyncDisposable
{
    public const string LocalRepositoryName = "local-universe";

    private readonly WebApplication _app;
    private readonly HttpClient _http;

    private readonly bool _local;

    private CosmosHost(WebApplication app, HttpClient http, RepositoryCache cache, RepositoryListStore repositories, bool local)
    {
        _local = local;
        _app = app;
        _http = http;
        Cache = cache;
        Repositories = repositories;
    }

    public RepositoryCache Cache { get; }

    public RepositoryListStore Repositories { get; }

    /// <summary>The bound address (useful with port 0), e.g. <c>http://127.0.0.1:7070/</c>.</summary>
    public Uri BaseAddress { get; private set; } = new("http://127.0.0.1:7070/");

    /// <summary>Builds the service; null with the problems when the local Universe's package folders do not build.</summary>
    public static CosmosHost? Create(CosmosHostOptions options, ILoggerFactory? loggers, List<string> errors, out string? warning)
    {
        loggers ??= Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance;
        warning = null;
        string? localIndex = null;
        if (options.LocalUniverse is not null)
        {
            var index = UniverseBuilder.Build(options.LocalUniverse, errors);
            if (index is null)
            {
                return null;
            }

            localIndex = CosmosJson.Print(index);
        }

        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Services.AddSingleton(loggers);
        builder.Services.AddSingleton<Microsoft.Extensions.Hosting.IHostLifetime, NoSignalLifetime>();
        builder.WebHost.UseKestrel(k => k.Listen(options.Listen));
        var app = builder.Build();

        var log = loggers.CreateLogger("Minuet.Packages");
        var http = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.GZip }) { Timeout = TimeSpan.FromSeconds(30) };
        var repositories = RepositoryListStore.Open(options.StateDir, out warning);
        var cache = new RepositoryCache(http, options.Time, log);
        var catalog = new PackageCatalog(repositories, cache);
        var marathon = new MarathonApps(http, WithSlash(options.Marathon));
        var mesos = options.Mesos is null ? null : new MesosFrameworks(http, WithSlash(options.Mesos));
        CosmosApi.Map(app, new PackageQueries(catalog), new PackageInstaller(catalog, marathon, mesos, log), repositories, localIndex);
        return new CosmosHost(app, http, cache, repositories, localIndex is not null);
    }

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        await _app.StartAsync(cancellationToken).ConfigureAwait(false);
        if (_app.Urls.FirstOrDefault() is { } address)
        {
            BaseAddress = new Uri(address.Replace("0.0.0.0", "127.0.0.1", StringComparison.Ordinal).Replace("[::]", "127.0.0.1", StringComparison.Ordinal) + "/");
        }

        // Listed once the port is known (tests listen on port 0), first, as DC/OS makes its local universe the repository tried first.
        if (_local)
        {
            Repositories.EnsureFirst(new PackageRepository(LocalRepositoryName, new Uri(BaseAddress, "repo").ToString()));
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        Cache.Dispose();
        _http.Dispose();
    }

    private static Uri WithSlash(Uri uri) => new(uri.ToString().TrimEnd('/') + "/");

    /// <summary>The caller owns SIGTERM/SIGINT (the verb stops the host); the console lifetime would take them.</summary>
    private sealed class NoSignalLifetime : Microsoft.Extensions.Hosting.IHostLifetime
    {
        public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
