using System.Text.Json;

namespace Minuet.Platform.AdminRouter.Services;

/// <summary>
/// A framework with an empty <c>webui_url</c> is reached as DC/OS 1.8 did: Mesos-DNS's
/// <c>GET /v1/services/_&lt;name&gt;._tcp.marathon.mesos</c>, first record, http.
/// </summary>
internal static class SrvLookup
{
    public static async Task<Uri?> FindAsync(HttpMessageInvoker http, Uri dnsApi, string name, CancellationToken cancellationToken)
    {
        if (name.Contains('/', StringComparison.Ordinal))
        {
            return null; // not a DNS label
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(dnsApi, $"v1/services/_{name}._tcp.marathon.mesos"));
            using var response = await http.SendAsync(request, timeout.Token).ConfigureAwait(false);
            if (!response.IsSuccessStatusCode)
            {
                return null;
            }

            using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync(timeout.Token).ConfigureAwait(false));
            if (doc.RootElement.ValueKind != JsonValueKind.Array)
            {
                return null;
            }

            foreach (var record in doc.RootElement.EnumerateArray())
            {
                string? ip = record.TryGetProperty("ip", out var i) ? i.GetString() : null;
                string? port = record.TryGetProperty("port", out var p) ? p.GetString() : null;
                if (!string.IsNullOrEmpty(ip) && !string.IsNullOrEmpty(port) && Uri.TryCreate($"http://{ip}:{port}/", UriKind.Absolute, out var url))
                {
                    return url;
                }
            }

            return null;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException or InvalidOperationException && !cancellationToken.IsCancellationRequested)
        {
            return null;
        }
    }
}
