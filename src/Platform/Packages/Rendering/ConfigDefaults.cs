using System.Text.Json.Nodes;

namespace Minuet.Platform.Packages.Rendering;

/// <summary>
/// Cosmos's <c>JsonSchema.extractDefaultsFromSchema</c>: a property with <c>default</c> contributes it; otherwise an
/// object schema with <c>properties</c> contributes its own defaults, and is left out when that is empty.
/// </summary>
internal static class ConfigDefaults
{
    public static JsonObject Extract(JsonObject? schema)
    {
        var defaults = new JsonObject();
        if (schema?["properties"] is not JsonObject properties)
        {
            return defaults;
        }

        foreach (var (name, property) in properties)
        {
            if (property is not JsonObject p)
            {
                continue;
            }

            if (p.TryGetPropertyValue("default", out var value))
            {
                defaults[name] = value?.DeepClone();
            }
            else if (p["properties"] is JsonObject)
            {
                var nested = Extract(p);
                if (nested.Count > 0)
                {
                    defaults[name] = nested;
                }
            }
        }

        return defaults;
    }
}
