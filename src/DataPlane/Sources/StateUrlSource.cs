using System.Net.Http.Headers;

namespace Minuet.DataPlane.Sources;

/// <summary>
/// <c>--state-url URL</c>: GETs a Mesos-compatible <c>/master/state</c> every <c>--refresh</c> with a timeout.
/// Unlike Mesos-DNS it never re-fetches from the leader a document names: the URL given is the only place it talks to.
/// </summary>
public sealed class StateUrlSource : IStateSource, IDisposable
{
    private readonly Uri _url;
    private readonly SnapshotPipeline _pipeline;
    private readonly TimeSpan _refresh;
    private readonly HttpClient _client;

    public StateUrlSource(Uri url, SnapshotPipeline pipeline, TimeSpan refresh, TimeSpan timeout, HttpMessageHandler? handler = null)
    {
        ArgumentNullException.ThrowIfNull(url);
        _url = url;
        _pipeline = pipeline;
        _refresh = refresh;
        _client = handler is null
            ? new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
            : new HttpClient(handler, disposeHandler: false);
        _client.Timeout = timeout;
        _client.DefaultRequestHeaders.UserAgent.Add(new ProductInfoHeaderValue("Minuet-DataPlane", "1"));
        _client.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    /// <summary>The URL without user info, so credentials never reach logs.</summary>
    public string Origin => new UriBuilder(_url) { UserName = string.Empty, Password = string.Empty }.Uri.ToString();

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(_refresh);
        try
        {
            do
            {
                await FetchOnceAsync(cancellationToken).ConfigureAwait(false);
            }
            while (await timer.WaitForNextTickAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One fetch; false when the master could not be reached or the document was rejected.</summary>
    public async Task<bool> FetchOnceAsync(CancellationToken cancellationToken)
    {
        byte[] body;
        try
        {
            using var response = await _client.GetAsync(_url, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                _pipeline.ReportFetchError(Origin, $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
                return false;
            }

            body = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException ex)
        {
            _pipeline.ReportFetchError(Origin, ex.Message);
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            _pipeline.ReportFetchError(Origin, $"timed out after {_client.Timeout.TotalSeconds:0.###} s");
            return false;
        }

        return await _pipeline.ApplyDocumentAsync(body, Origin, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _client.Dispose();
}
