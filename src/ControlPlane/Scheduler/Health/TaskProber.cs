using System.Net.Sockets;

namespace Minuet.ControlPlane.Scheduler.Health;

/// <summary>
/// Runs the scheduler's own probes (Marathon-level HTTP/TCP health checks and readiness checks) with a fresh
/// connection each time: pooled connections stalled Marathon's checks (marathon-lb #508).
/// </summary>
internal sealed class TaskProber : IDisposable
{
    /// <summary>Enough of a body for <c>preserveLastResponse</c> without reading a large page.</summary>
    private const int MaxBody = 4096;

    private readonly HttpClient _http = new(new SocketsHttpHandler
    {
        PooledConnectionLifetime = TimeSpan.Zero,
        AllowAutoRedirect = false,
        UseProxy = false,
    })
    {
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public async Task<ProbeOutcome> RunAsync(ProbeRequest request, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(request.Timeout);
        string host = request.Address.Contains(':', StringComparison.Ordinal) ? $"[{request.Address}]" : request.Address;
        string target = request.Protocol == "TCP" ? $"connect {host}:{request.Port}" : $"GET http://{host}:{request.Port}{request.Path}";
        try
        {
            if (request.Protocol == "TCP")
            {
                using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(request.Address, request.Port, timeout.Token).ConfigureAwait(false);
                return new ProbeOutcome(true, null, null, null);
            }

            var path = request.Path.StartsWith('/') ? request.Path : "/" + request.Path;
            using var message = new HttpRequestMessage(HttpMethod.Get, new Uri($"http://{host}:{request.Port}{path}"));
            message.Headers.ConnectionClose = true;
            message.Headers.UserAgent.ParseAdd("minuet-scheduler");
            using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            var body = await ReadBodyAsync(response, timeout.Token).ConfigureAwait(false);
            return new ProbeOutcome(true, (int)response.StatusCode, body, null);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return ProbeOutcome.Failed($"{target}: timed out after {request.Timeout.TotalSeconds:0.###} s");
        }
        catch (Exception e) when (e is HttpRequestException or SocketException or IOException or UriFormatException)
        {
            return ProbeOutcome.Failed($"{target}: {e.Message}");
        }
    }

    public void Dispose() => _http.Dispose();

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var buffer = new byte[MaxBody];
            int filled = 0;
            int read;
            while (filled < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(filled), cancellationToken).ConfigureAwait(false)) > 0)
            {
                filled += read;
            }

            return System.Text.Encoding.UTF8.GetString(buffer, 0, filled);
        }
    }
}
