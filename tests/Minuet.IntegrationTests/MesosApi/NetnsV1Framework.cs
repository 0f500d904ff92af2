using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;
using Minuet.ControlPlane.Agent.Network;

namespace Minuet.IntegrationTests.MesosApi;

/// <summary>
/// A framework written against Mesos's documented v1 scheduler API only: a plain HttpClient (its sockets made inside
/// the test's network namespace), JSON calls, the SUBSCRIBE stream's RecordIO parsed by hand. Updates that carry a
/// uuid are acknowledged as they arrive, as framework libraries do; every event is kept for the test to wait on.
/// </summary>
internal sealed class NetnsV1Framework : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly HttpResponseMessage _stream;
    private readonly Channel<JsonElement> _events = Channel.CreateUnbounded<JsonElement>();
    private readonly List<JsonElement> _seen = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _reader;

    private NetnsV1Framework(HttpClient http, HttpResponseMessage stream, string frameworkId, string streamId, Stream body, List<byte> pending)
    {
        _http = http;
        _stream = stream;
        FrameworkId = frameworkId;
        StreamId = streamId;
        _reader = Task.Run(() => ReadAsync(body, pending));
    }

    public string FrameworkId { get; }

    public string StreamId { get; }

    /// <summary>Every event read so far, oldest first (for failure messages).</summary>
    public string Seen
    {
        get
        {
            lock (_seen)
            {
                return string.Join('\n', _seen.Select(e => e.GetRawText().Length > 1500 ? e.GetRawText()[..1500] + "…" : e.GetRawText()));
            }
        }
    }

    public static async Task<NetnsV1Framework> SubscribeAsync(string netns, Uri master, string frameworkInfoJson)
    {
        var handler = new SocketsHttpHandler
        {
            ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = NetnsSockets.CreateTcp(netns);
                try
                {
                    await socket.ConnectAsync(IPAddress.Parse(context.DnsEndPoint.Host), context.DnsEndPoint.Port, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch (SocketException)
                {
                    socket.Dispose();
                    throw;
                }
            },
        };
        var http = new HttpClient(handler) { BaseAddress = master, Timeout = Timeout.InfiniteTimeSpan };
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/scheduler")
        {
            Content = Json("{\"type\":\"SUBSCRIBE\",\"subscribe\":{\"framework_info\":" + frameworkInfoJson + "}}"),
        };
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"SUBSCRIBE answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        }

        var body = await response.Content.ReadAsStreamAsync();
        string streamId = response.Headers.GetValues("Mesos-Stream-Id").Single();
        var pending = new List<byte>();
        var first = await ReadRecordAsync(body, pending, CancellationToken.None)
            ?? throw new InvalidOperationException("the SUBSCRIBE stream ended before SUBSCRIBED");
        string frameworkId = first.GetProperty("subscribed").GetProperty("framework_id").GetProperty("value").GetString()!;
        return new NetnsV1Framework(http, response, frameworkId, streamId, body, pending);
    }

    /// <summary>A call with this framework's id and stream id; the HTTP status (202 when the master took it).</summary>
    public async Task<HttpStatusCode> CallAsync(string type, string? bodyJson = null)
    {
        string json = "{\"type\":\"" + type + "\",\"framework_id\":{\"value\":\"" + FrameworkId + "\"}" +
            (bodyJson is null ? string.Empty : ",\"" + type.ToLowerInvariant() + "\":" + bodyJson) + "}";
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/scheduler") { Content = Json(json) };
        request.Headers.Add("Mesos-Stream-Id", StreamId);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        using var response = await _http.SendAsync(request, timeout.Token);
        return response.StatusCode;
    }

    /// <summary>The next event (in stream order, skipping others) that <paramref name="match"/> accepts.</summary>
    public async Task<JsonElement> NextAsync(Func<JsonElement, bool> match, string what, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            while (true)
            {
                var e = await _events.Reader.ReadAsync(deadline.Token);
                if (match(e))
                {
                    return e;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"no {what} within {timeout.TotalSeconds} s; events so far:\n{Seen}");
        }
        catch (ChannelClosedException)
        {
            throw new InvalidOperationException($"the SUBSCRIBE stream ended before {what}; events so far:\n{Seen}");
        }
    }

    public static bool IsUpdate(JsonElement e, string taskId, string state) =>
        Type(e) == "UPDATE" && e.GetProperty("update").GetProperty("status") is var s &&
        s.GetProperty("task_id").GetProperty("value").GetString() == taskId && s.GetProperty("state").GetString() == state;

    public static bool IsMessage(JsonElement e, string text) =>
        Type(e) == "MESSAGE" && Encoding.UTF8.GetString(Convert.FromBase64String(e.GetProperty("message").GetProperty("data").GetString()!)) == text;

    public static string? Type(JsonElement e) => e.TryGetProperty("type", out var t) ? t.GetString() : null;

    public static StringContent Json(string json)
    {
        var content = new StringContent(json, Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        return content;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _stream.Dispose();
        try
        {
            await _reader;
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or ObjectDisposedException or HttpRequestException)
        {
        }

        _http.Dispose();
        _stop.Dispose();
    }

    private async Task ReadAsync(Stream body, List<byte> pending)
    {
        try
        {
            while (await ReadRecordAsync(body, pending, _stop.Token) is { } e)
            {
                lock (_seen)
                {
                    _seen.Add(e);
                }

                if (Type(e) == "UPDATE" && e.GetProperty("update").GetProperty("status") is var status && status.TryGetProperty("uuid", out var uuid))
                {
                    await CallAsync("ACKNOWLEDGE", "{\"agent_id\":" + status.GetProperty("agent_id").GetRawText() +
                        ",\"task_id\":" + status.GetProperty("task_id").GetRawText() + ",\"uuid\":\"" + uuid.GetString() + "\"}");
                }

                _events.Writer.TryWrite(e);
            }
        }
        finally
        {
            _events.Writer.TryComplete();
        }
    }

    /// <summary>One RecordIO record: decimal byte length, newline, that many bytes of JSON; null at the end of the stream.</summary>
    private static async Task<JsonElement?> ReadRecordAsync(Stream body, List<byte> pending, CancellationToken cancellationToken)
    {
        var buffer = new byte[8192];
        while (true)
        {
            int newline = pending.IndexOf((byte)'\n');
            if (newline > 0 && long.Parse(Encoding.ASCII.GetString(pending.GetRange(0, newline).ToArray()), System.Globalization.CultureInfo.InvariantCulture) is var length &&
                pending.Count >= newline + 1 + length)
            {
                byte[] payload = pending.GetRange(newline + 1, (int)length).ToArray();
                pending.RemoveRange(0, newline + 1 + (int)length);
                using var doc = JsonDocument.Parse(payload);
                return doc.RootElement.Clone();
            }

            int read = await body.ReadAsync(buffer, cancellationToken);
            if (read == 0)
            {
                return null;
            }

            pending.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }
}
