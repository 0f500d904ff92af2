using System.Net.Sockets;

namespace Minuet.Cli.Docker;

/// <summary>
/// A Docker Engine API client over its Unix socket (plain <see cref="HttpClient"/>: the CLI needs two calls, ping and
/// image import, not a client library), and where the socket is: <c>--docker-socket</c>, else <c>DOCKER_HOST</c>
/// (<c>unix://</c> only), else <c>/var/run/docker.sock</c>.
/// </summary>
internal sealed class DockerEngine : IDisposable
{
    public const string DefaultSocket = "/var/run/docker.sock";

    private readonly HttpClient _http;

    public DockerEngine(string socketPath, TimeSpan? timeout = null)
    {
        SocketPath = socketPath;
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (_, cancellationToken) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://docker/"), Timeout = timeout ?? TimeSpan.FromSeconds(5) };
    }

    public string SocketPath { get; }

    /// <summary>The socket to use: the flag, else <c>DOCKER_HOST</c>, else the default. Null with a reason when unusable.</summary>
    public static (string? Path, string? Problem) Resolve(string? flag, string? dockerHost)
    {
        string? value = flag ?? (string.IsNullOrWhiteSpace(dockerHost) ? null : dockerHost);
        if (value is null)
        {
            return (DefaultSocket, null);
        }

        if (value.StartsWith("unix://", StringComparison.Ordinal))
        {
            value = value["unix://".Length..];
        }
        else if (value.Contains("://", StringComparison.Ordinal))
        {
            return (null, $"'{value}' is not a Unix socket (only unix:///path or a path is supported)");
        }

        return value.Length == 0 ? (null, "the socket path is empty") : (Path.GetFullPath(value), null);
    }

    /// <summary>True when the daemon answers <c>GET /_ping</c> with OK.</summary>
    public async Task<bool> PingAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            using var response = await _http.GetAsync("_ping", cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or SocketException or IOException)
        {
            return false;
        }
    }

    /// <summary>
    /// <c>POST /images/create?fromSrc=-&amp;repo=R&amp;tag=T</c> with a rootfs tarball as the body (what
    /// <c>docker import</c> does). Returns null on success, else the daemon's error.
    /// </summary>
    public async Task<string?> ImportAsync(Stream rootfsTar, string repository, string tag, CancellationToken cancellationToken)
    {
        string uri = $"images/create?fromSrc=-&repo={Uri.EscapeDataString(repository)}&tag={Uri.EscapeDataString(tag)}";
        using var content = new StreamContent(rootfsTar);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/x-tar");
        using var response = await _http.PostAsync(uri, content, cancellationToken).ConfigureAwait(false);
        string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return $"{(int)response.StatusCode} {body.Trim()}";
        }

        // The progress stream reports failures inline: {"errorDetail":{...},"error":"..."}.
        foreach (var line in body.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            using var doc = System.Text.Json.JsonDocument.Parse(line);
            if (doc.RootElement.TryGetProperty("error", out var error))
            {
                return error.GetString();
            }
        }

        return null;
    }

    /// <summary>The image's id when the daemon has it (<c>GET /images/{name}/json</c>), else null.</summary>
    public async Task<string?> ImageIdAsync(string image, CancellationToken cancellationToken)
    {
        using var response = await _http.GetAsync($"images/{image}/json", cancellationToken).ConfigureAwait(false);
        if (!response.IsSuccessStatusCode)
        {
            return null;
        }

        using var doc = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        return doc.RootElement.GetProperty("Id").GetString();
    }

    public void Dispose() => _http.Dispose();
}
