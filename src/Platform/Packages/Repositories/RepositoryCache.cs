using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Minuet.Platform.Packages.Model;

namespace Minuet.Platform.Packages.Repositories;

/// <summary>
/// Fetches repository indexes as Cosmos does (its <c>Accept</c> header naming the v5, v4 and v3 repository media
/// types, gzip accepted), keeps each good one for a minute and refetches at most once a minute. A repository that
/// cannot be reached or is not a repository is a typed error for that repository alone.
/// </summary>
internal sealed class RepositoryCache : IDisposable
{
    public const string RepoMediaType = "application/vnd.dcos.universe.repo+json";

    /// <summary>The Accept header Cosmos sends for repository indexes (newest first).</summary>
    public const string AcceptHeader =
        RepoMediaType + ";charset=utf-8;version=v5," + RepoMediaType + ";charset=utf-8;version=v4;q=0.9," + RepoMediaType + ";charset=utf-8;version=v3;q=0.8";

    public static readonly TimeSpan RefetchInterval = TimeSpan.FromMinutes(1);

    private readonly HttpClient _http;
    private readonly TimeProvider _time;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _fetching = new(1, 1);

    public RepositoryCache(HttpClient http, TimeProvider time, ILogger log)
    {
        _http = http;
        _time = time;
        _log = log;
    }

    /// <summary>How many times an index was fetched over HTTP (for tests and metrics).</summary>
    public int Fetches { get; private set; }

    public async Task<Outcome<IReadOnlyList<PackageDefinition>>> GetAsync(PackageRepository repository, CancellationToken cancellationToken)
    {
        if (Fresh(repository.Uri) is { } cached)
        {
            return new(cached, null);
        }

        await _fetching.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Fresh(repository.Uri) is { } again)
            {
                return new(again, null);
            }

            Fetches++;
            var result = await FetchAsync(repository, cancellationToken).ConfigureAwait(false);
            if (result.IsSuccess)
            {
                _entries[repository.Uri] = new Entry(result.Value, _time.GetUtcNow());
            }
            else
            {
                Log.RepositoryFailed(_log, repository.Name, repository.Uri, result.Error.Message);
            }

            return result;
        }
        finally
        {
            _fetching.Release();
        }
    }

    public void Dispose() => _fetching.Dispose();

    private IReadOnlyList<PackageDefinition>? Fresh(string uri) =>
        _entries.TryGetValue(uri, out var entry) && _time.GetUtcNow() - entry.FetchedAt < RefetchInterval ? entry.Packages : null;

    private async Task<Outcome<IReadOnlyList<PackageDefinition>>> FetchAsync(PackageRepository repository, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, repository.Uri);
        request.Headers.TryAddWithoutValidation("Accept", AcceptHeader);
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        request.Headers.UserAgent.ParseAdd("cosmos/minuet-0.1 dcos/1.10");
        string body;
        string contentType;
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return CosmosErrors.RepositoryUnreachable(repository.Name, repository.Uri, $"HTTP {(int)response.StatusCode}");
            }

            contentType = response.Content.Headers.ContentType?.ToString() ?? string.Empty;
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            return CosmosErrors.RepositoryUnreachable(repository.Name, repository.Uri, e.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return CosmosErrors.RepositoryUnreachable(repository.Name, repository.Uri, "timed out");
        }

        if (!MediaTypes.TryParse(contentType, out var type) || type.Essence != RepoMediaType || type.Version is not ("v3" or "v4" or "v5"))
        {
            return CosmosErrors.UnsupportedRepositoryVersion(repository.Name, repository.Uri, contentType.Length == 0 ? "(none)" : contentType);
        }

        return Parse(repository, body);
    }

    /// <summary>A repository document (<c>{"packages":[…]}</c>) as package definitions, or why it is not one.</summary>
    public static Outcome<IReadOnlyList<PackageDefinition>> Parse(PackageRepository repository, string body)
    {
        JsonNode? document;
        try
        {
            document = JsonNode.Parse(body);
        }
        catch (JsonException e)
        {
            return CosmosErrors.IndexNotFound(repository.Name, repository.Uri, "not JSON: " + e.Message);
        }

        if (document?["packages"] is not JsonArray packages)
        {
            return CosmosErrors.IndexNotFound(repository.Name, repository.Uri, "no \"packages\" array");
        }

        var list = new List<PackageDefinition>();
        foreach (var entry in packages)
        {
            var package = PackageDefinition.TryRead(entry, out string? error);
            if (package is null)
            {
                return CosmosErrors.IndexNotFound(repository.Name, repository.Uri, error!);
            }

            list.Add(package);
        }

        return list;
    }

    private sealed record Entry(IReadOnlyList<PackageDefinition> Packages, DateTimeOffset FetchedAt);
}
