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
        _client = StateDocumentFetch.CreateClient(timeout, handler);
    }

    /// <summary>The URL without user info, so credentials never reach logs.</summary>
    public string Origin => new UriBuilder(_url) { UserName = string.Empty, Password = string.Empty }.Uri.ToString();

    public Task RunAsync(CancellationToken cancellationToken) => StateDocumentFetch.PollAsync(_refresh, FetchOnceAsync, cancellationToken);

    /// <summary>One fetch; false when the master could not be reached or the document was rejected.</summary>
    public async Task<bool> FetchOnceAsync(CancellationToken cancellationToken)
    {
        var fetched = await StateDocumentFetch.GetAsync(_client, _url, cancellationToken).ConfigureAwait(false);
        if (fetched.Body is null)
        {
            _pipeline.ReportFetchError(Origin, fetched.Error!);
            return false;
        }

        return await _pipeline.ApplyDocumentAsync(fetched.Body, Origin, cancellationToken).ConfigureAwait(false);
    }

    public void Dispose() => _client.Dispose();
}
