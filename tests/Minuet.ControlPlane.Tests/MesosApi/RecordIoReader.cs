using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Minuet.ControlPlane.Tests.MesosApi;

/// <summary>
/// Reads a Mesos v1 RecordIO event stream: each record is its byte length in decimal, a newline, then that many
/// bytes of JSON. Buffers across reads, so records split over or joined in chunks are read the same.
/// </summary>
internal sealed class RecordIoReader(HttpResponseMessage response, Stream stream) : IDisposable
{
    private readonly byte[] _buffer = new byte[64 * 1024];
    private readonly MemoryStream _pending = new();

    public HttpResponseMessage Response => response;

    public static async Task<RecordIoReader> OpenAsync(HttpClient http, string url, string json)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new StringContent(json, Encoding.UTF8) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        return new RecordIoReader(response, await response.Content.ReadAsStreamAsync());
    }

    /// <summary>The next record (the first that matches <paramref name="where"/>), within 20 s.</summary>
    public async Task<JsonElement> NextAsync(Func<JsonElement, bool>? where = null)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (true)
        {
            var record = await ReadRecordAsync(deadline.Token) ?? throw new EndOfStreamException("the event stream ended");
            var element = JsonDocument.Parse(record).RootElement.Clone();
            if (where is null || where(element))
            {
                return element;
            }
        }
    }

    /// <summary>The next record of type <paramref name="type"/>.</summary>
    public Task<JsonElement> NextOfTypeAsync(string type) => NextAsync(e => e.GetProperty("type").GetString() == type);

    /// <summary>One record's payload, or null at the end of the stream.</summary>
    public async Task<byte[]?> ReadRecordAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            if (TryTake(out var record))
            {
                return record;
            }

            int read = await stream.ReadAsync(_buffer, cancellationToken);
            if (read == 0)
            {
                return null;
            }

            _pending.Write(_buffer, 0, read);
        }
    }

    /// <summary>Parses one record from what was read so far; false when more bytes are needed.</summary>
    internal bool TryTake(out byte[] record)
    {
        record = [];
        var bytes = _pending.GetBuffer().AsSpan(0, (int)_pending.Length);
        int newline = bytes.IndexOf((byte)'\n');
        if (newline < 0)
        {
            return false;
        }

        int length = int.Parse(Encoding.ASCII.GetString(bytes[..newline]), NumberStyles.None, CultureInfo.InvariantCulture);
        if (bytes.Length < newline + 1 + length)
        {
            return false;
        }

        record = bytes.Slice(newline + 1, length).ToArray();
        var rest = bytes[(newline + 1 + length)..].ToArray();
        _pending.SetLength(0);
        _pending.Write(rest);
        return true;
    }

    /// <summary>Feeds raw bytes (for framing tests without a connection).</summary>
    internal void Feed(ReadOnlySpan<byte> bytes) => _pending.Write(bytes);

    public void Dispose()
    {
        stream.Dispose();
        response.Dispose();
        _pending.Dispose();
    }
}
