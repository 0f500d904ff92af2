using System.Text.Json;
using System.Text.Json.Nodes;

namespace Minuet.Platform.Packages.Rendering;

/// <summary>Turns the JSON render context into the values templates see (<see cref="MustacheString"/> and friends).</summary>
internal static class MustacheView
{
    /// <summary>
    /// <paramref name="jsonEscapeStrings"/>: Cosmos ≥ 0.4 JSON-escapes every string before rendering (so
    /// <c>"{{x}}"</c> stays valid JSON whatever x holds); the mustache spec wants strings as they are.
    /// </summary>
    public static object? From(JsonNode? node, bool jsonEscapeStrings)
    {
        switch (node)
        {
            case null:
                return null;
            case JsonObject o:
                var map = new MustacheObject();
                foreach (var (key, value) in o)
                {
                    map[key] = From(value, jsonEscapeStrings);
                }

                return map;
            case JsonArray a:
                return new MustacheList(a.Select(item => From(item, jsonEscapeStrings)));
        }

        var element = node.GetValue<JsonElement>();
        return element.ValueKind switch
        {
            JsonValueKind.String => String(element.GetString()!, jsonEscapeStrings),
            JsonValueKind.Number => element.TryGetInt64(out long l) ? MustacheNumber.From(l) : MustacheNumber.From(element.GetDouble()),
            JsonValueKind.True => new MustacheBoolean(true),
            JsonValueKind.False => new MustacheBoolean(false),
            _ => null,
        };
    }

    private static MustacheString String(string value, bool jsonEscape)
    {
        if (!jsonEscape)
        {
            return new MustacheString(value, value.Length == 0);
        }

        // The JSON string's body, without its quotes; only what JSON requires is escaped (no \u003C for '<').
        string quoted = JsonSerializer.Serialize(value, CosmosJson.Relaxed);
        return new MustacheString(quoted[1..^1], value.Length == 0);
    }
}
