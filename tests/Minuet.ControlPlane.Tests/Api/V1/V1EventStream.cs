using System.Net;
using System.Text;
using System.Text.Json;

namespace Minuet.ControlPlane.Tests.Api.V1;

/// <summary>
/// A v1 SUBSCRIBE stream read the way a third-party client does: plain HttpClient, RecordIO parsed by hand
/// (length, newline, that many bytes), each event with a deadline.
/// </summary>
internal sealed class V1EventStream : IDisposable
{
    private readonly HttpResponseMessage _response;
    private readonly Stream _body;
    private readonly List<byte> _pending = [];

    private V1EventStream(HttpResponseMessage response, Stream body)
    {
        _response = response;
        _body = body;
    }

    public HttpResponseMessage Response => _response;

    public string StreamId => _response.Headers.GetValues("Mesos-Stream-Id").Single();

    public static async Task<V1EventStream> SubscribeAsync(HttpClient http, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/scheduler") { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return new V1EventStream(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The next event of <paramref name="type"/> (others skipped), or the next of any type.</summary>
    public async Task<JsonElement> NextAsync(string? type = null)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (true)
        {
            var e = await ReadRecordAsync(deadline.Token);
            if (type is null || e.GetProperty("type").GetString() == type)
            {
                return e;
            }
        }
    }

    /// <summary>True when the master ended the stream (after any events left, which are skipped).</summary>
    public async Task<bool> EndsAsync()
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var buffer = new byte[4096];
        while (await _body.ReadAsync(buffer, deadline.Token) > 0)
        {
        }

        return true;
    }

    private async Task<JsonElement> ReadRecordAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[4096];
        while (true)
        {
            int newline = _pending.IndexOf((byte)'\n');
            if (newline > 0)
            {
                int length = int.Parse(Encoding.ASCII.GetString(_pending.GetRange(0, newline).ToArray()), System.Globalization.CultureInfo.InvariantCulture);
                if (_pending.Count >= newline + 1 + length)
                {
                    var payload = _pending.GetRange(newline + 1, length).ToArray();
                    _pending.RemoveRange(0, newline + 1 + length);
                    return JsonDocument.Parse(payload).RootElement.Clone();
                }
            }

            int n = await _body.ReadAsync(buffer, cancellationToken);
            if (n == 0)
            {
                throw new EndOfStreamException("stream ended");
            }

            _pending.AddRange(buffer.AsSpan(0, n).ToArray());
        }
    }

    public void Dispose()
    {
        _body.Dispose();
        _response.Dispose();
    }
}
