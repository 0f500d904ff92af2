using System.Text.Json;
using Minuet.ControlPlane.Master;

namespace Minuet.ControlPlane.Scheduler.Validation;

/// <summary>Typed reads of one JSON object's fields; a wrong type is recorded at the field's path and the default returned.</summary>
internal readonly struct JsonFields(JsonElement obj, string path, FieldErrorList errors)
{
    public JsonElement Object => obj;

    public string Path => path;

    public FieldErrorList Errors => errors;

    public bool Has(string name) => obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind != JsonValueKind.Null;

    public JsonElement? Get(string name) => Has(name) ? obj.GetProperty(name) : null;

    public string At(string name) => path + "/" + name;

    public string? String(string name)
    {
        if (Get(name) is not { } v)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.String)
        {
            errors.Add(At(name), "must be a string");
            return null;
        }

        return v.GetString();
    }

    public double? Number(string name)
    {
        if (Get(name) is not { } v)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Number)
        {
            errors.Add(At(name), "must be a number");
            return null;
        }

        // TryGetDouble refuses what overflows a double (1e400): that is a number, just not a finite one.
        if (!v.TryGetDouble(out double d) || !double.IsFinite(d))
        {
            errors.Add(At(name), $"must be a finite number ({v.GetRawText()} is out of range)");
            return null;
        }

        return d;
    }

    public int? Int(string name)
    {
        if (Get(name) is not { } v)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int i))
        {
            errors.Add(At(name), "must be an integer");
            return null;
        }

        return i;
    }

    public bool? Bool(string name)
    {
        if (Get(name) is not { } v)
        {
            return null;
        }

        if (v.ValueKind is not JsonValueKind.True and not JsonValueKind.False)
        {
            errors.Add(At(name), "must be a boolean");
            return null;
        }

        return v.GetBoolean();
    }

    public JsonFields? Child(string name)
    {
        if (Get(name) is not { } v)
        {
            return null;
        }

        if (v.ValueKind != JsonValueKind.Object)
        {
            errors.Add(At(name), "must be an object");
            return null;
        }

        return new JsonFields(v, At(name), errors);
    }

    /// <summary>The array's elements with their paths; an empty list when absent or not an array (recorded).</summary>
    public List<(JsonElement Value, string Path)> Array(string name)
    {
        var items = new List<(JsonElement, string)>();
        if (Get(name) is not { } v)
        {
            return items;
        }

        if (v.ValueKind != JsonValueKind.Array)
        {
            errors.Add(At(name), "must be an array");
            return items;
        }

        int i = 0;
        foreach (var item in v.EnumerateArray())
        {
            items.Add((item, $"{At(name)}/{i++}"));
        }

        return items;
    }

    public List<string>? StringArray(string name)
    {
        if (!Has(name))
        {
            return null;
        }

        var list = new List<string>();
        foreach (var (item, itemPath) in Array(name))
        {
            if (item.ValueKind != JsonValueKind.String)
            {
                errors.Add(itemPath, "must be a string");
                continue;
            }

            list.Add(item.GetString()!);
        }

        return list;
    }

    /// <summary>An object of string values (labels), keys kept in ordinal order.</summary>
    public SortedDictionary<string, string> StringMap(string name)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (Child(name) is not { } child)
        {
            return map;
        }

        foreach (var property in child.Object.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                errors.Add(child.At(property.Name), "must be a string");
                continue;
            }

            map[property.Name] = property.Value.GetString()!;
        }

        return map;
    }
}
