using System.Text.Json.Nodes;

namespace Minuet.Platform.Packages.Rendering;

/// <summary>
/// Universe's <c>JsonUtil.merge</c>: objects merge key by key, recursively; anything else on the right (arrays
/// included) replaces what was on the left. Neither input is changed.
/// </summary>
internal static class JsonMerge
{
    public static JsonObject Merge(JsonObject left, JsonObject right)
    {
        var result = (JsonObject)left.DeepClone();
        foreach (var (key, value) in right)
        {
            result[key] = result[key] is JsonObject l && value is JsonObject r ? Merge(l, r) : value?.DeepClone();
        }

        return result;
    }
}
