using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Minuet.Platform.Packages.Rendering;

/// <summary>JSON printing as Cosmos does it for labels and answers: compact, nulls dropped, no HTML-safe escaping.</summary>
internal static class CosmosJson
{
    public static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static readonly JsonSerializerOptions Indented = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, WriteIndented = true };

    public static string Print(JsonNode node) => node.ToJsonString(Relaxed);

    /// <summary>A copy without null members (circe's <c>dropNullValues</c> printer, which Cosmos uses for label values).</summary>
    public static JsonNode? DropNulls(JsonNode? node) => node switch
    {
        JsonObject o => new JsonObject(o.Where(p => p.Value is not null).Select(p => KeyValuePair.Create(p.Key, DropNulls(p.Value)))),
        JsonArray a => new JsonArray(a.Select(DropNulls).ToArray()),
        _ => node?.DeepClone(),
    };

    public static string Base64(JsonNode node) => Convert.ToBase64String(Encoding.UTF8.GetBytes(Print(DropNulls(node)!)));

    public static byte[] Gzip(string text)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Optimal, leaveOpen: true))
        {
            gzip.Write(Encoding.UTF8.GetBytes(text));
        }

        return buffer.ToArray();
    }

    public static string Gunzip(byte[] data)
    {
        using var input = new GZipStream(new MemoryStream(data), CompressionMode.Decompress);
        using var reader = new StreamReader(input, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
