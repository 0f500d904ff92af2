using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace Minuet.ControlPlane.Agent.Docker;

/// <summary>The transport under every call: send, turn transport failures and error bodies into values, read JSON.</summary>
internal sealed partial class DockerEngine
{
    private Task<DockerResult<T>> GetJsonAsync<T>(string path, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        SendJsonAsync(HttpMethod.Get, path, null, type, cancellationToken);

    private async Task<DockerResult<T>> SendJsonAsync<T>(HttpMethod method, string path, HttpContent? content, JsonTypeInfo<T> type,
        CancellationToken cancellationToken)
    {
        var (response, error) = await SendAsync(method, path, content, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            if (response is null)
            {
                return DockerResult<T>.Failure(error!, 0);
            }

            if (!response.IsSuccessStatusCode)
            {
                return DockerResult<T>.Failure(await ErrorMessageAsync(response, cancellationToken).ConfigureAwait(false), (int)response.StatusCode);
            }

            try
            {
                var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
                var value = await JsonSerializer.DeserializeAsync(stream, type, cancellationToken).ConfigureAwait(false);
                return value is null
                    ? DockerResult<T>.Failure($"{path}: empty answer", (int)response.StatusCode)
                    : DockerResult<T>.Success(value, (int)response.StatusCode);
            }
            catch (JsonException e)
            {
                return DockerResult<T>.Failure($"{path}: unreadable answer: {e.Message}", (int)response.StatusCode);
            }
            catch (Exception e) when (e is IOException or HttpRequestException)
            {
                return DockerResult<T>.Failure($"the Docker daemon at {SocketPath} stopped answering: {e.Message}", 0);
            }
        }
    }

    private async Task<DockerResult<bool>> SendNoBodyAsync(HttpMethod method, string path, CancellationToken cancellationToken)
    {
        var (response, error) = await SendAsync(method, path, null, cancellationToken).ConfigureAwait(false);
        using (response)
        {
            if (response is null)
            {
                return DockerResult<bool>.Failure(error!, 0);
            }

            return response.IsSuccessStatusCode
                ? DockerResult<bool>.Success(true, (int)response.StatusCode)
                : DockerResult<bool>.Failure(await ErrorMessageAsync(response, cancellationToken).ConfigureAwait(false), (int)response.StatusCode);
        }
    }

    /// <summary>Sends and returns the response with headers read, or why the daemon did not answer.</summary>
    private async Task<(HttpResponseMessage? Response, string? Error)> SendAsync(HttpMethod method, string path, HttpContent? content,
        CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        try
        {
            var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
            return (response, null);
        }
        catch (HttpRequestException e)
        {
            // A missing socket file surfaces as an odd socket error; say what is actually wrong.
            string why = File.Exists(SocketPath) ? Innermost(e).Message : "no such socket";
            return (null, $"the Docker daemon at {SocketPath} does not answer: {why}");
        }
        catch (IOException e)
        {
            return (null, $"the Docker daemon at {SocketPath} does not answer: {e.Message}");
        }
    }

    private static async Task<string> ErrorMessageAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string body;
        try
        {
            body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or HttpRequestException)
        {
            return $"HTTP {(int)response.StatusCode}";
        }

        try
        {
            if (JsonSerializer.Deserialize(body, DockerJsonContext.Default.EngineError)?.Message is { Length: > 0 } message)
            {
                return message;
            }
        }
        catch (JsonException)
        {
        }

        return $"HTTP {(int)response.StatusCode}: {body.Trim()}";
    }

    private static StringContent JsonContent<T>(T value, JsonTypeInfo<T> type)
    {
        var content = new StringContent(JsonSerializer.Serialize(value, type), Encoding.UTF8);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return content;
    }

    private static Exception Innermost(Exception e)
    {
        while (e.InnerException is not null)
        {
            e = e.InnerException;
        }

        return e;
    }
}
