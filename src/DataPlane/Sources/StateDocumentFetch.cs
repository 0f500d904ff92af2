using System.Net.Http.Headers;

namespace Minuet.DataPlane.Sources;

/// <summary>
/// What the polling sources (<see cref="StateUrlSource"/>, <see cref="MasterListSource"/>) share: their HTTP
/// client, the refresh loop, and one GET of a state document with its failures as text.
/// </summary>
internal static class StateDocumentFetch
{
    /// <summary>A client that never follows redirects itself (a source decides what a redirect means).</summary>
    public static HttpClient CreateClient(TimeSpan timeout, HttpMessageHandler? handler)
    {
        var client = handler is null
            ? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            : new HttpClient(handler, disposeHandler: false);
        client.Timeout = timeout;
        client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Minuet-DataPlane", "1"));
        client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        return client;
    }

    /// <summary>Fetches at once, then every <paramref name="refresh"/>, until cancelled.</summary>
    public static async Task PollAsync(TimeSpan refresh, Func<CancellationToken, Task<bool>> fetchOnce, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(refresh);
        try
        {
            do
            {
                await fetchOnce(cancellationToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>
    /// GETs <paramref name="url"/>. A non-success status is an error; a redirect is that error too, with its
    /// absolute target in <see cref="Fetched.Redirect"/> for a source that follows it.
    /// </summary>
    public static async Task<Fetched> GetAsync(HttpClient client, Uri url, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await client.GetAsync(url, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                Uri? redirect = (int)response.StatusCode is >= 300 and < 400 && response.Headers.Location is { } location
                    ? (location.IsAbsoluteUri ? location : new Uri(url, location))
                    : null;
                return new(null, redirect, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
            }

            return new(await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false), null, null);
        }
        catch (HttpRequestException ex)
        {
            return new(null, null, ex.Message);
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new(null, null, $"timed out after {client.Timeout.TotalSeconds:0.###} s");
        }
    }

    /// <summary>The document, or why there is none (and where a redirect points).</summary>
    internal readonly record struct Fetched(byte[]? Body, Uri? Redirect, string? Error);
}
