using System.Text.Json;

namespace Minuet.Platform.Jobs.Validation;

/// <summary>Typed reads of optional JSON fields, each wrong type reported with its path.</summary>
internal static class JsonFields
{
    public static string? String(JsonElement obj, string name, string path, FieldErrors errors)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.String)
        {
            errors.Add(path + "/" + name, "must be a string");
            return null;
        }

        return v.GetString();
    }

    public static double? Number(JsonElement obj, string name, string path, FieldErrors errors, double min = double.MinValue)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Number || !v.TryGetDouble(out double d) || !double.IsFinite(d))
        {
            errors.Add(path + "/" + name, "must be a number");
            return null;
        }

        if (d < min)
        {
            errors.Add(path + "/" + name, $"must be at least {min}");
            return null;
        }

        return d;
    }

    public static int? Int(JsonElement obj, string name, string path, FieldErrors errors, int min = int.MinValue)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int i))
        {
            errors.Add(path + "/" + name, "must be an integer");
            return null;
        }

        if (i < min)
        {
            errors.Add(path + "/" + name, $"must be at least {min}");
            return null;
        }

        return i;
    }

    public static bool? Bool(JsonElement obj, string name, string path, FieldErrors errors)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            errors.Add(path + "/" + name, "must be true or false");
            return null;
        }

        return v.GetBoolean();
    }

    public static IReadOnlyList<string>? Strings(JsonElement obj, string name, string path, FieldErrors errors)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Array)
        {
            errors.Add(path + "/" + name, "must be an array of strings");
            return null;
        }

        var list = new List<string>();
        int i = 0;
        foreach (var item in v.EnumerateArray())
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                errors.Add($"{path}/{name}/{i}", "must be a string");
            }
            else
            {
                list.Add(item.GetString()!);
            }

            i++;
        }

        return list;
    }

    public static IReadOnlyDictionary<string, string>? StringMap(JsonElement obj, string name, string path, FieldErrors errors)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path + "/" + name, "must be an object of strings");
            return null;
        }

        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var p in v.EnumerateObject())
        {
            if (p.Value.ValueKind == JsonValueKind.String)
            {
                map[p.Name] = p.Value.GetString()!;
            }
            else if (p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("secret", out _))
            {
                errors.Add($"{path}/{name}/{p.Name}", "secrets are not supported; give the value as a string");
            }
            else
            {
                errors.Add($"{path}/{name}/{p.Name}", "must be a string");
            }
        }

        return map;
    }

    public static JsonElement? Object(JsonElement obj, string name, string path, FieldErrors errors)
    {
        if (!obj.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Object)
        {
            errors.Add(path + "/" + name, "must be an object");
            return null;
        }

        return v;
    }
}
