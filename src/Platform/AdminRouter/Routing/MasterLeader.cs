using System.Net;

namespace Minuet.Platform.AdminRouter.Routing;

/// <summary>
/// Follows the elected master in place of DC/OS's <c>leader.mesos</c>: asks each master in turn for
/// <c>/master/redirect</c>, which answers 307 <c>Location: //ip:port</c> of the leader (or 503 while there is none).
/// A master without that endpoint (404, one master before HA) is taken as the leader itself. The answer is kept for
/// <see cref="Freshness"/> so a burst of requests asks once; a failed forward drops it.
/// </summary>
internal sealed class MasterLeader(IReadOnlyList<Uri> masters, HttpMessageInvoker http, TimeProvider time) : IDisposable
{
    public static readonly TimeSpan Freshness = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan AskTimeout = TimeSpan.FromSeconds(2);

    private readonly SemaphoreSlim _asking = new(1, 1);
    private volatile Known? _known;

    /// <summary>The leader's base URL, or null when no master names one.</summary>
    public async ValueTask<Uri?> CurrentAsync(CancellationToken cancellationToken)
    {
        if (_known is { } known && time.GetUtcNow() - known.At < Freshness)
        {
            return known.Leader;
        }

        await _asking.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (_known is { } again && time.GetUtcNow() - again.At < Freshness)
            {
                return again.Leader;
            }

            var leader = await AskAsync(cancellationToken).ConfigureAwait(false);
            _known = leader is null ? null : new Known(leader, time.GetUtcNow());
            return leader;
        }
        finally
        {
            _asking.Release();
        }
    }

    public void Forget() => _known = null;

    private async Task<Uri?> AskAsync(CancellationToken cancellationToken)
    {
        foreach (var master in masters)
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(AskTimeout);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(master, "master/redirect"));
                using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
                switch (response.StatusCode)
                {
                    case HttpStatusCode.TemporaryRedirect or HttpStatusCode.Redirect or HttpStatusCode.MovedPermanently
                        when response.Headers.Location is { } location && Resolve(master, location) is { } leader:
                        return leader;
                    case HttpStatusCode.NotFound:
                        return master;
                    default:
                        continue; // 503: this master knows no leader now; another may
                }
            }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Unreachable or slow: try the next master.
            }
        }

        return null;
    }

    /// <summary><c>//ip:port</c> (scheme-relative, as Mesos answers) or an absolute URL, as a base URL.</summary>
    internal static Uri? Resolve(Uri master, Uri location)
    {
        string text = location.OriginalString;
        if (text.StartsWith("//", StringComparison.Ordinal))
        {
            text = master.Scheme + ":" + text;
        }

        return Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "http" or "https"
            ? new Uri(url.GetLeftPart(UriPartial.Authority) + "/")
            : null;
    }

    private sealed record Known(Uri Leader, DateTimeOffset At);

    public void Dispose() => _asking.Dispose();
}
