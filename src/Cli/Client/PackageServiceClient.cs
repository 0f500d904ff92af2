using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Minuet.Cli.Client;

/// <summary>
/// The package service (Cosmos API) as the <c>package</c> verbs call it: one POST with the call's request and response
/// media types. Every package verb builds its HTTP client here (<see cref="Create"/>), so moving to a shared
/// <c>--url</c>/token helper touches this one place.
/// </summary>
internal sealed class PackageServiceClient : IDisposable
{
    public const string DefaultUrl = "http://127.0.0.1:7070";

    private readonly HttpClient _http;

    private PackageServiceClient(Uri baseUrl)
    {
        BaseUrl = baseUrl;
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseUrl { get; }

    /// <summary>The running <c>minuet up</c>'s package service, else <see cref="DefaultUrl"/>.</summary>
    public static string DefaultBaseUrl() => Cluster.UpEndpoints.Find()?.Packages ?? DefaultUrl;

    public static PackageServiceClient? Create(string text, out string? error)
    {
        error = null;
        if (Uri.TryCreate(text.TrimEnd('/') + "/", UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
        {
            return new PackageServiceClient(url);
        }

        error = $"--url: must be an http:// URL such as {DefaultUrl}, got \"{text}\"";
        return null;
    }

    /// <summary>POSTs <paramref name="body"/> to <c>/package/&lt;path&gt;</c> as <c>&lt;kind&gt;-request</c> v1, accepting <c>&lt;kind&gt;-response</c> <paramref name="version"/>.</summary>
    public async Task<PackageAnswer> CallAsync(string path, string kind, string version, JsonObject body, CancellationToken cancellationToken)
    {
        var url = new Uri(BaseUrl, "package/" + path);
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8);
        request.Content.Headers.Remove("Content-Type");
        request.Content.Headers.TryAddWithoutValidation("Content-Type", $"application/vnd.dcos.package.{kind}-request+json;charset=utf-8;version=v1");
        request.Headers.TryAddWithoutValidation("Accept", $"application/vnd.dcos.package.{kind}-response+json;charset=utf-8;version={version}");
        try
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            string text = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            JsonNode? json = null;
            try
            {
                json = text.Length == 0 ? null : JsonNode.Parse(text);
            }
            catch (JsonException)
            {
                // Not the package service (a proxy's error page?): reported below with the status.
            }

            return new PackageAnswer((int)response.StatusCode, json, json is null && text.Length > 0 ? $"{url} answered {(int)response.StatusCode} with non-JSON: {Shorten(text)}" : null);
        }
        catch (HttpRequestException e)
        {
            return new PackageAnswer(0, null, $"cannot reach the package service at {url}: {e.Message} (is `minuet up` running? --url sets the address)");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new PackageAnswer(0, null, $"{url} did not answer within {_http.Timeout.TotalSeconds:0} s");
        }
    }

    public void Dispose() => _http.Dispose();

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "...";
}

/// <summary>One answer: status and JSON body, or why there is none (status 0: unreachable).</summary>
internal sealed record PackageAnswer(int Status, JsonNode? Body, string? Failure)
{
    public bool IsSuccess => Failure is null && Status is >= 200 and < 300 && Body is not null;

    /// <summary>The error as people read it: Cosmos's message, each schema error with its pointer, Marathon's message.</summary>
    public string Describe()
    {
        if (Failure is not null)
        {
            return Failure;
        }

        if (Body?["message"] is not JsonValue message)
        {
            return $"the package service answered {Status}: {Body?.ToJsonString()}";
        }

        var text = new StringBuilder($"{message.GetValue<string>()} ({Body["type"]?.GetValue<string>()})");
        foreach (var error in Body["data"]?["errors"] as JsonArray ?? [])
        {
            string pointer = error?["instance"]?["pointer"]?.GetValue<string>() ?? string.Empty;
            text.Append($"\n  {(pointer.Length == 0 ? "/" : pointer)}: {error?["message"]?.GetValue<string>()}");
        }

        if (Body["data"]?["marathonError"] is { } marathon)
        {
            text.Append($"\n  Marathon said: {marathon["message"]?.ToString() ?? marathon.ToJsonString()}");
            foreach (var detail in marathon["details"] as JsonArray ?? [])
            {
                text.Append($"\n  {detail?["path"]}: {string.Join("; ", (detail?["errors"] as JsonArray ?? []).Select(e => e?.ToString()))}");
            }
        }

        return text.ToString();
    }

    /// <summary>1 when the service refused (4xx), 2 when it failed or could not be reached.</summary>
    public int ExitCode => Status is >= 400 and < 500 ? 1 : 2;
}
