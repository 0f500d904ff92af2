using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Minuet.ControlPlane.Agent.Docker;

/// <summary>
/// A Docker Engine API client over the daemon's Unix socket: plain <see cref="HttpClient"/> whose connections are
/// Unix-socket connects, with source-generated JSON. Only the dozen calls the agent makes. Every call returns a
/// <see cref="DockerResult{T}"/>; transport failures become "daemon unreachable" values, never exceptions
/// (cancellation still throws).
/// </summary>
internal sealed partial class DockerEngine : IDisposable
{
    private readonly HttpClient _http;

    public DockerEngine(string socketPath)
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
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
        };

        // Streams (logs, wait, exec) run as long as containers do; callers bound calls with their own tokens.
        _http = new HttpClient(handler) { BaseAddress = new Uri("http://docker/"), Timeout = Timeout.InfiniteTimeSpan };
    }

    public string SocketPath { get; }

    public void Dispose() => _http.Dispose();

    /// <summary><c>GET /_ping</c>: does a daemon answer on the socket?</summary>
    public async Task<DockerResult<string>> PingAsync(CancellationToken cancellationToken)
    {
        var (response, error) = await SendAsync(HttpMethod.Get, "_ping", null, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            if (response is null)
            {
                return DockerResult<string>.Failure(error!, 0);
            }

            string body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
            return response.IsSuccessStatusCode
                ? DockerResult<string>.Success(body)
                : DockerResult<string>.Failure($"ping answered {(int)response.StatusCode}: {body}", (int)response.StatusCode);
        }
    }

    public Task<DockerResult<VersionResponse>> VersionAsync(CancellationToken cancellationToken) =>
        GetJsonAsync("version", DockerJsonContext.Default.VersionResponse, cancellationToken);

    /// <summary><c>GET /images/{name}/json</c>: 404 = not present on this machine.</summary>
    public Task<DockerResult<JsonElement>> InspectImageAsync(string image, CancellationToken cancellationToken) =>
        GetJsonAsync($"images/{Uri.EscapeDataString(image)}/json", DockerJsonContext.Default.JsonElement, cancellationToken);

    /// <summary><c>POST /images/create?fromImage=</c>: the progress stream ends with an error line when the pull failed.</summary>
    public async Task<DockerResult<bool>> PullImageAsync(string image, CancellationToken cancellationToken)
    {
        var (repository, tag) = ImageReference.Split(image);
        string path = $"images/create?fromImage={Uri.EscapeDataString(repository)}&tag={Uri.EscapeDataString(tag)}";
        var (response, error) = await SendAsync(HttpMethod.Post, path, null, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            if (response is null)
            {
                return DockerResult<bool>.Failure(error!, 0);
            }

            if (!response.IsSuccessStatusCode)
            {
                return DockerResult<bool>.Failure(await ErrorMessageAsync(response, cancellationToken).ConfigureAwait(false), (int)response.StatusCode);
            }

            using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), Encoding.UTF8);
            while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
            {
                if (line.Length == 0)
                {
                    continue;
                }

                PullProgress? progress;
                try
                {
                    progress = JsonSerializer.Deserialize(line, DockerJsonContext.Default.PullProgress);
                }
                catch (JsonException)
                {
                    continue;
                }

                if (progress?.Error is { } pullError)
                {
                    return DockerResult<bool>.Failure(pullError, (int)response.StatusCode);
                }
            }

            return DockerResult<bool>.Success(true);
        }
    }

    public Task<DockerResult<ContainerCreateResponse>> CreateContainerAsync(string name, ContainerCreateBody body, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Post, $"containers/create?name={Uri.EscapeDataString(name)}",
            JsonContent(body, DockerJsonContext.Default.ContainerCreateBody), DockerJsonContext.Default.ContainerCreateResponse, cancellationToken);

    public Task<DockerResult<bool>> StartContainerAsync(string id, CancellationToken cancellationToken) =>
        SendNoBodyAsync(HttpMethod.Post, $"containers/{Uri.EscapeDataString(id)}/start", cancellationToken);

    public Task<DockerResult<ContainerInspect>> InspectContainerAsync(string idOrName, CancellationToken cancellationToken) =>
        GetJsonAsync($"containers/{Uri.EscapeDataString(idOrName)}/json", DockerJsonContext.Default.ContainerInspect, cancellationToken);

    /// <summary>Blocks until the container is not running (at once if it already stopped) and returns its exit status.</summary>
    public Task<DockerResult<ContainerWaitResponse>> WaitContainerAsync(string id, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Post, $"containers/{Uri.EscapeDataString(id)}/wait?condition=not-running", null,
            DockerJsonContext.Default.ContainerWaitResponse, cancellationToken);

    /// <summary>Sends a signal (<c>SIGTERM</c>, <c>SIGKILL</c>) to the container's init process.</summary>
    public Task<DockerResult<bool>> KillContainerAsync(string id, string signal, CancellationToken cancellationToken) =>
        SendNoBodyAsync(HttpMethod.Post, $"containers/{Uri.EscapeDataString(id)}/kill?signal={signal}", cancellationToken);

    /// <summary>Removes the container (forcing a running one) and its anonymous volumes.</summary>
    public Task<DockerResult<bool>> RemoveContainerAsync(string id, CancellationToken cancellationToken) =>
        SendNoBodyAsync(HttpMethod.Delete, $"containers/{Uri.EscapeDataString(id)}?force=1&v=1", cancellationToken);

    /// <summary>Every container (running or not) carrying the label <paramref name="label"/> (<c>key</c> or <c>key=value</c>).</summary>
    public Task<DockerResult<List<ContainerSummary>>> ListContainersAsync(string label, CancellationToken cancellationToken)
    {
        string filters = JsonSerializer.Serialize(new Dictionary<string, List<string>> { ["label"] = [label] },
            DockerJsonContext.Default.DictionaryStringListString);
        return GetJsonAsync($"containers/json?all=1&filters={Uri.EscapeDataString(filters)}",
            DockerJsonContext.Default.ListContainerSummary, cancellationToken);
    }
}
