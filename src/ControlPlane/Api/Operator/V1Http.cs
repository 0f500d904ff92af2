using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Minuet.ControlPlane.Api.Operator;

/// <summary>
/// The HTTP edge Mesos's v1 endpoints share (src/master/http.cpp <c>api</c>, src/slave/http.cpp <c>api</c>): POST
/// only (405 with <c>Allow: POST</c>), <c>Content-Type</c> present (400) and exactly <c>application/json</c> (415;
/// protobuf is not served), a body that parses (400), <c>Accept</c> allowing JSON (406; none means JSON). Error
/// bodies are plain text, as Mesos's are.
/// </summary>
internal static class V1Http
{
    public const string Json = "application/json";
    public const string Protobuf = "application/x-protobuf";
    private const long MaxCallBytes = 1024 * 1024;

    /// <summary>A parsed call: its <c>type</c> and the whole document (the caller owns and disposes it).</summary>
    internal sealed record V1Call(string Type, JsonDocument Document) : IDisposable
    {
        public JsonElement Root => Document.RootElement;

        /// <summary>The call's body object (<c>"get_metrics": {...}</c> for GET_METRICS); false when absent.</summary>
        public bool TryBody(out JsonElement body)
        {
            if (Root.TryGetProperty(Type.ToLowerInvariant(), out body) && body.ValueKind == JsonValueKind.Object)
            {
                return true;
            }

            body = default;
            return false;
        }

        public void Dispose() => Document.Dispose();
    }

    /// <summary>
    /// Checks method, media types and parses the call; on failure writes Mesos's answer and returns null.
    /// <paramref name="acceptChecked"/> false leaves <c>Accept</c> to the caller (the executor API checks it on
    /// SUBSCRIBE only).
    /// </summary>
    public static async Task<V1Call?> ReadCallAsync(HttpContext context, string callKind, IReadOnlySet<string> knownTypes, bool acceptChecked = true)
    {
        var request = context.Request;
        if (!HttpMethods.IsPost(request.Method))
        {
            context.Response.Headers.Allow = "POST";
            await PlainAsync(context, 405, $"Expecting one of {{ 'POST' }}, but received '{request.Method}'").ConfigureAwait(false);
            return null;
        }

        string? contentType = request.Headers.ContentType.Count > 0 ? request.Headers.ContentType.ToString() : null;
        if (contentType is null)
        {
            await PlainAsync(context, 400, "Expecting 'Content-Type' to be present").ConfigureAwait(false);
            return null;
        }

        if (contentType != Json)
        {
            string why = contentType == Protobuf ? " (this cluster serves JSON only)" : string.Empty;
            await PlainAsync(context, 415, $"Expecting 'Content-Type' of {Json} or {Protobuf}{why}").ConfigureAwait(false);
            return null;
        }

        if (request.ContentLength > MaxCallBytes)
        {
            await PlainAsync(context, 413, $"Request body too large: at most {MaxCallBytes} bytes").ConfigureAwait(false);
            return null;
        }

        JsonDocument document;
        try
        {
            using var buffer = new MemoryStream();
            await request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
            document = JsonDocument.Parse(buffer.ToArray(), new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException e)
        {
            await PlainAsync(context, 400, $"Failed to parse body into JSON: {e.Message}").ConfigureAwait(false);
            return null;
        }

        string? type = null;
        if (document.RootElement.ValueKind != JsonValueKind.Object)
        {
            document.Dispose();
            await PlainAsync(context, 400, $"Failed to convert JSON into Call protobuf: Expecting a JSON object").ConfigureAwait(false);
            return null;
        }

        if (document.RootElement.TryGetProperty("type", out var typeElement) && typeElement.ValueKind == JsonValueKind.String)
        {
            type = typeElement.GetString();
        }

        // stout drops an enum name it does not know from an optional field, so the call then has no type.
        if (type is null || !knownTypes.Contains(type))
        {
            document.Dispose();
            await PlainAsync(context, 400, $"Failed to validate {callKind}: Expecting 'type' to be present").ConfigureAwait(false);
            return null;
        }

        if (acceptChecked && !AcceptsJson(request))
        {
            document.Dispose();
            await PlainAsync(context, 406, $"Expecting 'Accept' to allow '{Protobuf}' or '{Json}'").ConfigureAwait(false);
            return null;
        }

        return new V1Call(type, document);
    }

    /// <summary>Whether <c>Accept</c> allows JSON (no header means anything; <c>q=0</c> refuses).</summary>
    public static bool AcceptsJson(HttpRequest request)
    {
        if (request.Headers.Accept.Count == 0)
        {
            return true;
        }

        foreach (var value in request.Headers.Accept)
        {
            foreach (var part in (value ?? string.Empty).Split(','))
            {
                var pieces = part.Split(';');
                string media = pieces[0].Trim().ToLowerInvariant();
                double q = 1;
                foreach (var parameter in pieces.Skip(1))
                {
                    var kv = parameter.Split('=', 2);
                    if (kv.Length == 2 && kv[0].Trim() == "q" && double.TryParse(kv[1].Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out double parsed))
                    {
                        q = parsed;
                    }
                }

                if (q > 0 && media is Json or "application/*" or "*/*")
                {
                    return true;
                }
            }
        }

        return false;
    }

    public static Task PlainAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        if (message.Length == 0)
        {
            return Task.CompletedTask;
        }

        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message, context.RequestAborted);
    }

    /// <summary>200 with a Response object: <c>{"type": T, "&lt;t&gt;": {...}}</c> written by <paramref name="body"/>.</summary>
    public static Task ResponseAsync(HttpContext context, string type, Action<Utf8JsonWriter>? body)
    {
        var bytes = Render(type, body);
        context.Response.StatusCode = 200;
        context.Response.ContentType = Json;
        context.Response.ContentLength = bytes.Length;
        return context.Response.Body.WriteAsync(bytes, context.RequestAborted).AsTask();
    }

    /// <summary>A Response or Event object <c>{"type": T, ...}</c>; <paramref name="body"/> writes the rest of its fields.</summary>
    public static byte[] Render(string type, Action<Utf8JsonWriter>? body)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("type", type);
            body?.Invoke(w);
            w.WriteEndObject();
        }

        return DropEmptyArrays(buffer.WrittenSpan);
    }

    /// <summary>
    /// Removes <c>"name": []</c> members: stout's protobuf-to-JSON writes a repeated field only when it has elements
    /// (3rdparty/stout/include/stout/protobuf.hpp), so writers may emit arrays freely and this pass makes them Mesos's.
    /// One forward pass over the tokens, no document built.
    /// </summary>
    public static byte[] DropEmptyArrays(ReadOnlySpan<byte> json)
    {
        var output = new ArrayBufferWriter<byte>(json.Length);
        using (var w = new Utf8JsonWriter(output))
        {
            var reader = new Utf8JsonReader(json);
            while (reader.Read())
            {
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        var lookahead = reader;
                        if (lookahead.Read() && lookahead.TokenType == JsonTokenType.StartArray && lookahead.Read() && lookahead.TokenType == JsonTokenType.EndArray)
                        {
                            reader = lookahead;
                            break;
                        }

                        if (reader.ValueIsEscaped)
                        {
                            w.WritePropertyName(reader.GetString()!);
                        }
                        else
                        {
                            w.WritePropertyName(reader.ValueSpan);
                        }

                        break;
                    case JsonTokenType.StartObject: w.WriteStartObject(); break;
                    case JsonTokenType.EndObject: w.WriteEndObject(); break;
                    case JsonTokenType.StartArray: w.WriteStartArray(); break;
                    case JsonTokenType.EndArray: w.WriteEndArray(); break;
                    case JsonTokenType.String when reader.ValueIsEscaped: w.WriteStringValue(reader.GetString()); break;
                    case JsonTokenType.String: w.WriteStringValue(reader.ValueSpan); break;
                    case JsonTokenType.Number: w.WriteRawValue(reader.ValueSpan, skipInputValidation: true); break;
                    case JsonTokenType.True: w.WriteBooleanValue(true); break;
                    case JsonTokenType.False: w.WriteBooleanValue(false); break;
                    case JsonTokenType.Null: w.WriteNullValue(); break;
                }
            }
        }

        return output.WrittenSpan.ToArray();
    }

    /// <summary>One JSON value written by <paramref name="write"/>.</summary>
    public static byte[] RenderValue(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer))
        {
            write(w);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>One RecordIO record: the payload's byte length in decimal, <c>\n</c>, the payload (docs/recordio.md).</summary>
    public static byte[] Record(byte[] payload)
    {
        var prefix = Encoding.ASCII.GetBytes(payload.Length.ToString(CultureInfo.InvariantCulture) + "\n");
        var record = new byte[prefix.Length + payload.Length];
        prefix.CopyTo(record, 0);
        payload.CopyTo(record, prefix.Length);
        return record;
    }

    /// <summary>Reads a string field, or null when absent or not a string.</summary>
    public static string? String(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    /// <summary>Reads an id field <c>{"value": "..."}</c>, or null.</summary>
    public static string? Id(JsonElement e, string name) =>
        e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) ? String(v, "value") : null;
}
