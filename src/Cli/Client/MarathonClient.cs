using System.Net.Http.Headers;
using System.Text;

namespace Minuet.Cli.Client;

/// <summary>The Marathon <c>/v2</c> API as the CLI verbs call it: one request, the status and body, or why it failed.</summary>
internal sealed class MarathonClient : IDisposable
{
    public const string DefaultUrl = "http://127.0.0.1:8080";

    private readonly HttpClient _http;

    private MarathonClient(Uri baseUrl)
    {
        BaseUrl = baseUrl;
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(15) };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    public Uri BaseUrl { get; }

    public static MarathonClient? Create(string text, out string? error)
    {
        error = null;
        if (Uri.TryCreate(text.TrimEnd('/') + "/", UriKind.Absolute, out var url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps))
        {
            return new MarathonClient(url);
        }

        error = $"--marathon: must be an http:// URL such as {DefaultUrl}, got \"{text}\"";
        return null;
    }

    /// <summary>Sends the request; <c>Failure</c> is set when the API could not be reached at all.</summary>
    public async Task<MarathonResponse> SendAsync(HttpMethod method, string path, string? jsonBody, CancellationToken cancellationToken)
    {
        var url = new Uri(BaseUrl, path.TrimStart('/'));
        using var request = new HttpRequestMessage(method, url);
        if (ClusterClient.TokenFor(url) is { } token)
        {
            request.Headers.TryAddWithoutValidation("Authorization", "token=" + token);
        }
        if (jsonBody is not null)
        {
            request.Content = new StringContent(jsonBody, Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await _http.SendAsync(request, cancellationToken).ConfigureAwait(false);
            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            if (response.StatusCode == System.Net.HttpStatusCode.Unauthorized && response.Headers.WwwAuthenticate.Any(h => h.Scheme is "oauthjwt" or "acsjwt"))
            {
                return new MarathonResponse(401, body, $"{url}: Admin Router wants a valid token; log in with `./minuet auth login` (or pass --marathon for a direct URL)");
            }

            return new MarathonResponse((int)response.StatusCode, body, null);
        }
        catch (HttpRequestException ex)
        {
            return new MarathonResponse(0, string.Empty, $"cannot reach {url}: {ex.Message} (is `minuet up` running? --url sets Admin Router's address, --marathon a direct Marathon)");
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new MarathonResponse(0, string.Empty, $"{url} did not answer within {_http.Timeout.TotalSeconds:0} s");
        }
    }

    public void Dispose() => _http.Dispose();
}

/// <summary>One answer of the API: HTTP status and body, or a transport failure (status 0).</summary>
internal sealed record MarathonResponse(int Status, string Body, string? Failure)
{
    public bool IsSuccess => Failure is null && Status is >= 200 and < 300;
}
