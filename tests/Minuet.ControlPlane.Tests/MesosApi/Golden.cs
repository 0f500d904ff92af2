using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Minuet.ControlPlane.Tests.MesosApi;

/// <summary>
/// Compares v1 JSON with golden files in <c>MesosApi/Golden</c>: values that differ per run (ids with the master's
/// id, ports chosen at random, times, uuids) are replaced by placeholders first, keys are sorted, and the whole
/// document must then be equal, so a renamed, missing or extra field fails.
/// </summary>
internal static class Golden
{
    private static readonly HashSet<string> Times = new(StringComparer.Ordinal) { "nanoseconds", "timestamp", "start_time", "elected_time" };

    public static string Normalize(JsonElement element, IReadOnlyDictionary<string, string> replacements)
    {
        var node = JsonNode.Parse(element.GetRawText())!;
        node = Walk(node, null, replacements)!;
        return node.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping }).Replace("\r\n", "\n", StringComparison.Ordinal);
    }

    public static void AssertMatches(string name, JsonElement actual, IReadOnlyDictionary<string, string> replacements)
    {
        string normalized = Normalize(actual, replacements);
        string path = Path.Combine(AppContext.BaseDirectory, "MesosApi", "Golden", name + ".json");
        if (Environment.GetEnvironmentVariable("MINUET_GOLDEN_WRITE") is { Length: > 0 } sourceDir)
        {
            // Developer aid: a missing golden file is written from the actual answer, and the test still fails so
            // the new file gets reviewed against Mesos's protos.
            path = Path.Combine(sourceDir, name + ".json");
            if (!File.Exists(path))
            {
                File.WriteAllText(path, normalized + "\n");
                Assert.Fail($"wrote golden file {name}.json; review it and run again without MINUET_GOLDEN_WRITE");
            }
        }

        Assert.True(File.Exists(path), $"golden file {name}.json is missing; actual:\n{normalized}");
        string expected = Normalize(JsonDocument.Parse(File.ReadAllText(path)).RootElement, new Dictionary<string, string>());
        Assert.Equal(expected, normalized);
    }

    private static JsonNode? Walk(JsonNode? node, string? key, IReadOnlyDictionary<string, string> replacements)
    {
        switch (node)
        {
            case JsonObject obj:
                var sorted = new JsonObject();
                foreach (var (k, v) in obj.OrderBy(p => p.Key, StringComparer.Ordinal).ToList())
                {
                    obj.Remove(k);
                    sorted[k] = Walk(v, k, replacements);
                }

                return sorted;
            case JsonArray array:
                var copy = new JsonArray();
                foreach (var item in array.ToList())
                {
                    array.Remove(item);
                    copy.Add(Walk(item, key, replacements));
                }

                return copy;
            case JsonValue value when key is not null && Times.Contains(key):
                return JsonValue.Create(0);
            case JsonValue value when key is "uuid" or "status_update_uuid":
                return JsonValue.Create("<uuid>");
            case JsonValue value when value.TryGetValue(out string? whole) && replacements.TryGetValue("exact:" + whole, out var exact):
                return JsonValue.Create(exact);
            case JsonValue value when value.TryGetValue(out string? text):
                foreach (var (from, to) in replacements)
                {
                    text = text.Replace(from, to, StringComparison.Ordinal);
                }

                return JsonValue.Create(text);
            case JsonValue value when key == "port" && replacements.TryGetValue("port:" + value.ToJsonString(), out var port):
                return JsonValue.Create(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture));
            default:
                return node?.DeepClone();
        }
    }
}
